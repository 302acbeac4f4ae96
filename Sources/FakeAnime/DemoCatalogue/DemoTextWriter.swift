import Foundation

/// Writes titles and synopses for one show from its genre's vocabulary, about one protagonist and one companion.
///
/// The grammar is small but real: a handful of sentence templates per position (opening, middle, closing) whose slots
/// take genre words, with pronouns that agree, articles that agree and phrases that recur across the genre.
struct DemoTextWriter {
    let genre: DemoGenre
    let hero: DemoCharacter
    let ally: DemoCharacter

    init(genre: DemoGenre, random: inout SplitMix64) {
        self.genre = genre
        let cast = genre.characters.map(DemoCharacter.init)
        let heroIndex = random.int(below: cast.count)
        hero = cast[heroIndex]
        ally = cast[(heroIndex + 1 + random.int(below: cast.count - 1)) % cast.count]
    }

    // MARK: Titles

    /// A fresh title (not checked for uniqueness; the catalogue does that).
    func title(random: inout SplitMix64) -> String {
        let adjective = random.pick(genre.titleAdjectives), noun = random.pick(genre.titleNouns)
        let titlePlaces = genre.places.filter(Self.isProperPlace)
        switch random.int(below: 7) {
        case 0 where !titlePlaces.isEmpty:
            return "\(adjective) \(noun) of \(random.pick(titlePlaces))"
        case 1:
            return "\(hero.name)'s \(noun)"
        case 2:
            let role = random.pick(genre.titleRoles)
            return "My \(random.pick(DemoGenre.relations)) Is \(Self.article(for: role)) \(role)!"
        case 3:
            return "The \(adjective) \(noun)"
        case 4:
            return "\(hero.name) and the \(adjective) \(noun)"
        case 5:
            let other = genre.titleNouns.filter { $0 != noun }
            return "\(noun) of the \(adjective) \(random.pick(other))"
        default:
            return "\(adjective) \(noun)"
        }
    }

    /// Candidate sequel titles for `base`, best first: a subtitle, "II", "2nd Season", then "III", "IV", ….
    func sequelTitles(of base: String, random: inout SplitMix64) -> [String] {
        var candidates = ["\(base): \(random.pick(genre.subtitles))", "\(base) II", "\(base) 2nd Season"]
        random.shuffle(&candidates)
        return candidates + ["III", "IV", "V", "VI", "VII", "VIII", "IX", "X"].map { "\(base) \($0)" }
    }

    /// "the Iron District", "Crimson Harbor": places that read well after "of" in a title.
    static func isProperPlace(_ place: String) -> Bool {
        let name = place.hasPrefix("the ") ? place.dropFirst(4) : Substring(place)
        return name.split(separator: " ").allSatisfy { word in word == "of" || word.first?.isUppercase == true }
    }

    // MARK: Synopses

    /// A synopsis of 2–5 sentences.
    func synopsis(random: inout SplitMix64) -> String {
        let target = random.int(in: 2...5)
        let place = random.pick(genre.places), role = random.pick(genre.roles)
        let aRole = "\(Self.article(for: role)) \(role)"
        var sentences: [String] = []
        var toldConsequence = false
        switch random.int(below: 4) {
        case 0:
            sentences.append("When \(hero.name), \(aRole) from \(place), \(pick(genre.events, &random)), \(hero.subject) \(pick(genre.consequences, &random)).")
            toldConsequence = true
        case 1:
            sentences.append("In \(place), \(random.pick(genre.worldFacts)).")
            sentences.append("\(hero.name), \(aRole) who \(pick(genre.traits, &random)), \(pick(genre.events, &random)).")
        case 2:
            sentences.append("\(hero.name) is \(aRole) from \(place) who \(pick(genre.traits, &random)).")
            sentences.append("One day, \(hero.subject) \(pick(genre.events, &random)).")
        default:
            sentences.append("\(hero.name), \(aRole) from \(place), \(pick(genre.events, &random)).")
        }
        if !toldConsequence, sentences.count < target - 1, random.chance(0.7) {
            sentences.append("Now \(hero.subject) \(pick(genre.consequences, &random)).")
        }
        sentences += middles(count: target - 1 - sentences.count, excludingRole: role, random: &random)
        if sentences.count < target { sentences.append(closing(random: &random)) }
        return sentences.map(Self.capitalizingFirst).joined(separator: " ")
    }

    /// A synopsis for a sequel of `base` with the same cast.
    func sequelSynopsis(of base: String, random: inout SplitMix64) -> String {
        let target = random.int(in: 2...5)
        var sentences: [String] = []
        if random.chance(0.5) {
            sentences.append("The second season of \(base)" + (base.hasSuffix("!") || base.hasSuffix("?") ? "" : "."))
            if target > 2 { sentences.append("\(hero.name) \(pick(genre.consequences, &random)).") }
        } else {
            sentences.append("After the events of \(base), \(hero.name) returns to \(random.pick(genre.places)).")
        }
        sentences += middles(count: target - 1 - sentences.count, excludingRole: "", random: &random)
        if sentences.count < target { sentences.append(closing(random: &random)) }
        return sentences.map(Self.capitalizingFirst).joined(separator: " ")
    }

    /// Up to `count` middle sentences in story order: meeting the companion, the quest, the enemy, the team-up.
    private func middles(count: Int, excludingRole role: String, random: inout SplitMix64) -> [String] {
        guard count > 0 else { return [] }
        var kinds = [0, 1, 2, 3]
        random.shuffle(&kinds)
        var chosen = Array(kinds.prefix(count)).sorted()
        if chosen.contains(3), !chosen.contains(0) {
            chosen = chosen.filter { $0 != 3 } + [0]
            chosen.sort()
        }
        return chosen.map { kind in
            switch kind {
            case 0:
                let roles = genre.roles.filter { $0 != role }
                let allyRole = random.pick(roles.isEmpty ? genre.roles : roles)
                return "Along the way, \(hero.subject) meets \(ally.name), \(Self.article(for: allyRole)) \(allyRole) who \(pick(genre.allyTraits, &random))."
            case 1:
                return "Armed with \(pick(genre.objects, &random)), \(hero.subject) must \(pick(genre.goals, &random)) before \(pick(genre.deadlines, &random))."
            case 2:
                return "But \(pick(genre.foes, &random)) \(pick(genre.threats, &random))."
            default:
                return "Together, \(hero.name) and \(ally.name) \(random.pick(genre.teamActions))."
            }
        }
    }

    private func closing(random: inout SplitMix64) -> String {
        switch random.int(below: 3) {
        case 0: "Will \(hero.name) \(pick(genre.questions, &random))?"
        case 1: "\(hero.name)'s \(random.pick(genre.journeys)) has only just begun."
        default: random.pick(genre.hooks)
        }
    }

    /// A phrase from `phrases` with its pronoun slots filled for the hero and the companion.
    private func pick(_ phrases: [String], _ random: inout SplitMix64) -> String {
        fill(random.pick(phrases))
    }

    func fill(_ phrase: String) -> String {
        guard phrase.contains("{") else { return phrase }
        return phrase
            .replacingOccurrences(of: "{himself}", with: hero.reflexive)
            .replacingOccurrences(of: "{he}", with: hero.subject)
            .replacingOccurrences(of: "{his}", with: hero.possessive)
            .replacingOccurrences(of: "{him}", with: hero.object)
            .replacingOccurrences(of: "{ahe}", with: ally.subject)
            .replacingOccurrences(of: "{ahis}", with: ally.possessive)
            .replacingOccurrences(of: "{ahim}", with: ally.object)
    }

    /// "a" or "an" for the word that follows.
    static func article(for phrase: String) -> String {
        guard let first = phrase.lowercased().first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    static func capitalizingFirst(_ sentence: String) -> String {
        guard let first = sentence.first, first.isLowercase else { return sentence }
        return first.uppercased() + sentence.dropFirst()
    }
}
