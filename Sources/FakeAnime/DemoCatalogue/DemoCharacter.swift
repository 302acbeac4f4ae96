/// A named character of the demo grammar, with the pronouns that agree with it.
struct DemoCharacter: Sendable, Equatable {
    let name: String
    let isFemale: Bool

    /// Parses "Name/f" or "Name/m".
    init(_ spec: String) {
        let parts = spec.split(separator: "/")
        name = String(parts[0])
        isFemale = parts.count > 1 && parts[1] == "f"
    }

    var subject: String { isFemale ? "she" : "he" }
    var possessive: String { isFemale ? "her" : "his" }
    var object: String { isFemale ? "her" : "him" }
    var reflexive: String { isFemale ? "herself" : "himself" }
}
