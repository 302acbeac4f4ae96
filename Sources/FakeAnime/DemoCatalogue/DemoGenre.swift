/// One genre of the demo catalogue: the words its titles and synopses are made of.
///
/// Phrases may hold `{he}`, `{his}`, `{him}` and `{himself}`, replaced by the protagonist's pronouns, and `{ahe}`,
/// `{ahis}`, `{ahim}` for a companion's, so that the English agrees. Verb phrases are in the present tense, third person, as in real catalogue synopses.
struct DemoGenre: Sendable {
    /// The Jikan genre name ("Sci-Fi", "Slice of Life").
    let name: String
    /// Recurring characters as "Name/m" or "Name/f".
    let characters: [String]
    /// Roles, lower case: "bounty hunter".
    let roles: [String]
    /// Places, with their article: "the Iron District".
    let places: [String]
    /// Clauses that describe a place: "gangs rule the streets after dark".
    let worldFacts: [String]
    /// What happens to the protagonist: "witnesses the murder of {his} master".
    let events: [String]
    /// What the protagonist does about it: "swears revenge on the men responsible".
    let consequences: [String]
    /// "who …" clauses for the protagonist.
    let traits: [String]
    /// "who …" clauses for a companion.
    let allyTraits: [String]
    /// Objects with their article: "a cursed blade".
    let objects: [String]
    /// Bare verb phrases: "defeat the Black Lotus".
    let goals: [String]
    /// "before …" phrases: "the next full moon".
    let deadlines: [String]
    /// Antagonists with their article.
    let foes: [String]
    /// What the antagonists do: "will stop at nothing to seize the city".
    let threats: [String]
    /// What the protagonist and a companion do together.
    let teamActions: [String]
    /// Bare verb phrases for the closing question: "survive the tournament".
    let questions: [String]
    /// "{Name}'s … has only just begun": "battle".
    let journeys: [String]
    /// Closing sentences repeated across the genre.
    let hooks: [String]
    /// Title words.
    let titleAdjectives: [String]
    let titleNouns: [String]
    /// Roles in title case for "My <Noun> Is a <Role>!".
    let titleRoles: [String]
    /// Sequel subtitles: "The Final Battle".
    let subtitles: [String]
    /// Genres that often come with this one.
    let companions: [String]
}

extension DemoGenre {
    /// Every genre of the demo catalogue, in a fixed order (a show's palette and grammar come from its first genre).
    static let all: [DemoGenre] = [action, adventure, comedy, drama, fantasy, mecha, mystery, romance, sciFi, sliceOfLife]

    /// Words shared by titles of every genre for "My <Noun> Is a <Role>!".
    static let relations = ["Roommate", "Classmate", "Neighbor", "Boss", "Big Sister", "Little Brother", "Childhood Friend",
                            "Homeroom Teacher", "Senpai", "New Transfer Student"]

    static let action = DemoGenre(
        name: "Action",
        characters: ["Kenji/m", "Ryuu/m", "Akane/f", "Daigo/m", "Rei/f", "Shin/m", "Mako/f", "Tetsuo/m"],
        roles: ["swordsman", "street fighter", "bounty hunter", "former assassin", "martial artist", "mercenary"],
        places: ["the Iron District", "Crimson Harbor", "the Neon Slums", "Kurogane City", "the Black Market", "Ashfall Valley"],
        worldFacts: ["gangs rule the streets after dark", "only the strongest fighters survive",
                     "every dispute is settled with fists", "the police have long since given up"],
        events: ["witnesses the murder of {his} master", "loses everything in a single night",
                 "is framed for a crime {he} did not commit", "wins an underground tournament by accident",
                 "steals a cursed blade from the wrong people", "survives an ambush that kills {his} partner"],
        consequences: ["swears revenge on the men responsible", "is dragged into a war between rival gangs",
                       "becomes the most wanted fighter in the city", "vows to become stronger than anyone",
                       "takes up the sword once more", "must fight to clear {his} name"],
        traits: ["has never lost a duel", "fights only to protect {his} friends", "hides a scar from a forgotten battle",
                 "trains every night until dawn"],
        allyTraits: ["fights with twin blades", "owes {him} a debt of honor", "knows every alley in the city",
                     "once served the enemy", "never misses a shot"],
        objects: ["a cursed blade", "{his} master's sword", "a forbidden fighting style", "a stolen ledger", "a pair of iron gauntlets"],
        goals: ["defeat the Black Lotus gang", "win the underground tournament", "protect the people of the city",
                "take down the crime lord", "avenge {his} fallen master"],
        deadlines: ["the final round begins", "the city burns", "the next full moon", "it is too late"],
        foes: ["the Black Lotus gang", "a ruthless crime lord", "the Crimson Syndicate", "a masked swordsman"],
        threats: ["will stop at nothing to seize the city", "has already placed a bounty on {his} head",
                  "is hunting {him} down", "controls every fighter in the tournament"],
        teamActions: ["fight their way through the underworld", "face an army of assassins", "storm the syndicate's tower"],
        questions: ["survive the tournament", "defeat the crime lord", "avenge {his} master", "protect the ones {he} loves"],
        journeys: ["battle", "fight", "path of the sword"],
        hooks: ["The fight for the city starts now.", "Only the strongest will survive.", "Blood will answer blood."],
        titleAdjectives: ["Crimson", "Burning", "Iron", "Savage", "Broken", "Black"],
        titleNouns: ["Blade", "Fist", "Storm", "Fang", "Vendetta", "Strike"],
        titleRoles: ["Swordsman", "Bounty Hunter", "Former Assassin", "Street Fighter"],
        subtitles: ["The Final Battle", "Road to Revenge", "Blood and Steel", "The Last Duel"],
        companions: ["Adventure", "Sci-Fi", "Drama"])

    static let adventure = DemoGenre(
        name: "Adventure",
        characters: ["Sora/m", "Hina/f", "Kaito/m", "Nami/f", "Jiro/m", "Yuna/f", "Taro/m", "Kaede/f"],
        roles: ["young explorer", "treasure hunter", "ship's cook", "cartographer", "wandering archer", "pirate captain"],
        places: ["the Endless Sea", "the Sunken Isles", "a small fishing village", "the Sky Islands", "the Emerald Jungle",
                 "the Northern Wastes"],
        worldFacts: ["legends speak of a treasure hidden beyond the horizon", "no map has ever reached the edge of the world",
                     "ancient ruins lie beneath the waves", "pirates and explorers race for the same prize"],
        events: ["finds an old map in {his} grandfather's attic", "is shipwrecked on an unknown island",
                 "joins a crew of misfit pirates", "discovers a door to a hidden world",
                 "receives a letter from {his} missing father", "wakes up on the back of a giant turtle"],
        consequences: ["sets out on a journey across the sea", "vows to find the legendary treasure",
                       "leaves home for the first time", "must find a way back before the storm season",
                       "decides to chart the unknown world", "follows the map to the edge of the world"],
        traits: ["dreams of sailing beyond the horizon", "has never left {his} village", "can talk to the wind",
                 "collects maps of places no one has seen"],
        allyTraits: ["can read the stars", "carries a sword too big for {ahim}", "knows the secrets of the old ruins",
                     "is searching for {ahis} lost sister", "never stops eating"],
        objects: ["an old map", "a broken compass", "a flying ship", "a key made of coral", "the captain's logbook"],
        goals: ["find the legendary treasure", "reach the edge of the world", "rescue {his} missing father",
                "assemble a crew of heroes", "uncover the secret of the ancient ruins"],
        deadlines: ["the storm season arrives", "the rival crew finds the treasure", "the tide turns", "the map fades away"],
        foes: ["a rival pirate crew", "the Navy Admiral", "the Sea King", "a band of sky pirates"],
        threats: ["is racing for the same treasure", "will sink any ship that crosses its path",
                  "has put a price on the crew's heads", "guards the last island"],
        teamActions: ["sail into uncharted waters", "cross the burning desert", "climb the tallest mountain in the world"],
        questions: ["find the legendary treasure", "reach the edge of the world", "bring {his} crew home safely",
                    "find {his} missing father"],
        journeys: ["adventure", "journey", "voyage"],
        hooks: ["The greatest adventure of all begins now.", "The horizon is calling.", "Adventure waits beyond the sea."],
        titleAdjectives: ["Endless", "Sunken", "Lost", "Golden", "Wandering", "Distant"],
        titleNouns: ["Horizon", "Voyage", "Compass", "Map", "Treasure", "Islands"],
        titleRoles: ["Treasure Hunter", "Pirate Captain", "Wandering Archer", "Young Explorer"],
        subtitles: ["Beyond the Horizon", "The Lost Islands", "Journey to the West", "Treasure of the Deep"],
        companions: ["Fantasy", "Action", "Comedy"])

    static let comedy = DemoGenre(
        name: "Comedy",
        characters: ["Kotaro/m", "Mei/f", "Haruki/m", "Chika/f", "Genta/m", "Momo/f", "Yuji/m", "Nana/f"],
        roles: ["lazy high school student", "part-time worker", "failed idol", "club president", "delinquent", "overworked office worker"],
        places: ["Sakuragaoka High School", "a tiny ramen shop", "a crowded apartment building", "the student council room",
                 "a small seaside town", "the Go-Home Club"],
        worldFacts: ["nothing ever goes according to plan", "the clubs compete for a single empty room",
                     "every day brings a new disaster", "the neighbors are stranger than anyone expects"],
        events: ["accidentally joins the wrong club", "wakes up as a cat", "is elected student council president by mistake",
                 "inherits a ramen shop that sells no ramen", "moves into an apartment full of eccentric neighbors",
                 "loses a bet to {his} rival"],
        consequences: ["must survive one ridiculous day after another", "has no choice but to play along",
                       "tries to keep it a secret from the whole school", "starts a club that nobody understands",
                       "ends up in one misunderstanding after another", "decides to make the best of it"],
        traits: ["only wants a quiet life", "takes every joke far too seriously", "is terrible at everything except games",
                 "always says the wrong thing"],
        allyTraits: ["never reads the room", "is secretly a genius", "thinks {ahe} is a ninja", "eats everything in sight",
                     "believes in aliens"],
        objects: ["a suspicious club flyer", "a talking rice cooker", "a cursed lucky charm", "a part-time job contract",
                  "a box of exploding curry bread"],
        goals: ["keep the club from being shut down", "pass the final exams", "win the school festival contest",
                "pay the rent", "stay out of trouble for one whole week"],
        deadlines: ["the school festival", "the end of the month", "the principal finds out", "summer break ends"],
        foes: ["the student council", "a rival club", "the strict landlady", "the disciplinary committee"],
        threats: ["is determined to shut the club down", "has declared war on the Go-Home Club",
                  "wants {him} to work every weekend", "is always one step ahead"],
        teamActions: ["cause chaos all over the school", "turn every plan into a disaster", "open the strangest cafe in town"],
        questions: ["ever have a normal day", "save the club", "survive the school festival", "pay the rent on time"],
        journeys: ["misadventure", "chaotic school life", "ridiculous summer"],
        hooks: ["Hilarity ensues.", "Nothing will ever be normal again.", "Chaos is just getting started."],
        titleAdjectives: ["Totally Normal", "Ridiculous", "Lazy", "Noisy", "Hopeless", "Chaotic"],
        titleNouns: ["Club", "Days", "Life", "Summer", "Festival", "Neighbors"],
        titleRoles: ["Demon Lord", "Ninja", "Cat", "Part-Time Hero", "Alien", "Ghost"],
        subtitles: ["Even More Chaos", "Summer Break Edition", "The Festival Strikes Back", "Another Normal Day"],
        companions: ["Slice of Life", "Romance", "Fantasy"])

    static let drama = DemoGenre(
        name: "Drama",
        characters: ["Haruto/m", "Aoi/f", "Ren/m", "Shiori/f", "Kazuya/m", "Emi/f", "Naoki/m", "Tsubasa/f"],
        roles: ["young pianist", "struggling actor", "high school baseball player", "nurse", "aspiring novelist", "violinist"],
        places: ["a quiet town by the sea", "a hospital in Tokyo", "a small theater", "a rural village",
                 "a fading port city", "the national conservatory"],
        worldFacts: ["the past is never truly forgotten", "every family hides a secret", "time moves slowly",
                     "old wounds are slow to heal"],
        events: ["loses {his} mother in an accident", "returns home after ten years away", "receives a diagnosis that changes everything",
                 "stops playing music after a tragedy", "discovers a letter from {his} late father", "is abandoned by {his} best friend"],
        consequences: ["struggles to find a reason to keep going", "must face the memories {he} left behind",
                       "decides to live each day to the fullest", "tries to rebuild {his} broken family",
                       "learns to open {his} heart again", "begins to question everything {he} believed"],
        traits: ["has not smiled in years", "carries the weight of a painful secret", "gave up on {his} dream long ago",
                 "hides {his} tears behind a smile"],
        allyTraits: ["refuses to give up on {him}", "has only a few months to live", "shares the same painful past",
                     "teaches {him} to play again", "knows the truth about {his} family"],
        objects: ["an unfinished letter", "{his} mother's piano", "an old photograph", "a diary from the past", "a broken violin"],
        goals: ["make peace with the past", "keep a promise to a dying friend", "perform one last concert",
                "reunite {his} family", "find the courage to live again"],
        deadlines: ["the final concert", "the end of summer", "it is too late to say goodbye", "the last cherry blossoms fall"],
        foes: ["{his} cold and distant father", "a rival from the conservatory", "the weight of the past", "a cruel twist of fate"],
        threats: ["threatens to tear the family apart", "will not let {him} forget", "stands in the way of {his} dream",
                  "refuses to forgive {him}"],
        teamActions: ["learn what it means to live", "face the pain they share", "prepare for one last performance"],
        questions: ["find a reason to live again", "make peace with the past", "keep {his} promise", "say goodbye in time"],
        journeys: ["story", "journey of healing", "last summer"],
        hooks: ["Some wounds never fully heal.", "This is a story about saying goodbye.", "Every ending is also a beginning."],
        titleAdjectives: ["Silent", "Fading", "Last", "Quiet", "Distant", "Fragile"],
        titleNouns: ["Melody", "Promise", "Goodbye", "Memories", "Summer", "Letter"],
        titleRoles: ["Pianist", "Nurse", "Novelist", "Violinist"],
        subtitles: ["The Last Promise", "After the Rain", "A Letter to You", "The Final Movement"],
        companions: ["Romance", "Slice of Life", "Mystery"])

    static let fantasy = DemoGenre(
        name: "Fantasy",
        characters: ["Elara/f", "Aldric/m", "Lina/f", "Theo/m", "Sylvia/f", "Gareth/m", "Mira/f", "Lucan/m"],
        roles: ["young mage", "apprentice witch", "knight", "elf ranger", "dragon tamer", "summoner"],
        places: ["the Kingdom of Aster", "the Enchanted Forest", "the Academy of Magic", "a village at the edge of the forest",
                 "the Floating Castle", "the Demon Realm"],
        worldFacts: ["magic flows through every living thing", "dragons and humans have been at war for centuries",
                     "the Demon Lord has returned", "only the chosen can wield the ancient spells"],
        events: ["is reincarnated in another world", "awakens a forbidden power", "is summoned to save the kingdom",
                 "fails the entrance exam of the Academy of Magic", "befriends a wounded dragon",
                 "breaks the seal on an ancient spellbook"],
        consequences: ["must master magic to survive", "sets out to defeat the Demon Lord",
                       "becomes the most powerful mage in the kingdom", "is hunted by the royal knights",
                       "vows to protect the realm", "decides to live a quiet life despite {his} power"],
        traits: ["cannot use even the simplest spell", "was born with a mark of the old gods",
                 "hides the power of a dragon", "dreams of becoming a great wizard"],
        allyTraits: ["is secretly a princess", "wields a sword of light", "is a thousand years old",
                     "can speak with spirits", "hates magic more than anything"],
        objects: ["an ancient spellbook", "a sword of light", "a dragon's egg", "a crystal staff", "the crown of the first king"],
        goals: ["defeat the Demon Lord", "break the ancient curse", "restore peace to the kingdom",
                "master the forbidden magic", "find the lost crown"],
        deadlines: ["the blood moon rises", "the seal breaks", "the kingdom falls", "the Demon Lord awakens"],
        foes: ["the Demon Lord", "the Dark Sorcerer", "an army of undead knights", "the Witch of the West"],
        threats: ["has awakened after a thousand years", "seeks the power of the ancient spellbook",
                  "will stop at nothing to rule the realm", "is gathering an army in the shadows"],
        teamActions: ["journey across the enchanted realm", "face the trials of the Academy of Magic", "storm the Demon Lord's castle"],
        questions: ["defeat the Demon Lord", "break the ancient curse", "master {his} magic", "save the kingdom"],
        journeys: ["quest", "legend", "journey to become a great mage"],
        hooks: ["A new legend is about to begin.", "Magic will decide the fate of the realm.", "The age of heroes has returned."],
        titleAdjectives: ["Enchanted", "Forgotten", "Eternal", "Silver", "Cursed", "Ancient"],
        titleNouns: ["Kingdom", "Spellbook", "Dragon", "Crown", "Witch", "Realm"],
        titleRoles: ["Demon Lord", "Dragon", "Witch", "Hero of Legend", "Knight"],
        subtitles: ["The Demon Lord Returns", "Rise of the Dragon", "The Eternal Crown", "Another World"],
        companions: ["Adventure", "Action", "Romance"])

    static let mecha = DemoGenre(
        name: "Mecha",
        characters: ["Shinji/m", "Asuka/f", "Ryota/m", "Misato/f", "Kouji/m", "Yui/f", "Hayato/m", "Noa/f"],
        roles: ["young pilot", "mechanic", "cadet", "test pilot", "rebel soldier", "engineer"],
        places: ["Orbital Base Seven", "the Tokyo-3 defense zone", "the lunar colony", "a military academy",
                 "the ruins of New Kanto", "the frontier colony of Ares"],
        worldFacts: ["giant robots are humanity's last line of defense", "the war with the invaders has lasted fifty years",
                     "only children can pilot the machines", "the colonies have declared independence"],
        events: ["climbs into the cockpit of a giant robot", "is chosen to pilot a prototype unit",
                 "survives an attack on {his} colony", "discovers a robot buried beneath {his} school",
                 "is drafted into the war", "synchronizes with a machine that no one else can move"],
        consequences: ["is thrown onto the front lines of the war", "must fight the invaders to protect humanity",
                       "becomes the ace pilot of the defense force", "learns the terrible truth about the war",
                       "is hunted by both sides of the conflict", "joins a squad of teenage pilots"],
        traits: ["has never piloted anything", "lost {his} family in the first attack", "builds machines out of scrap",
                 "refuses to follow orders"],
        allyTraits: ["is the best pilot in the squad", "repairs every robot by hand", "was built in a laboratory",
                     "fought in the first war", "hides a connection to the enemy"],
        objects: ["a prototype robot", "a giant beam sword", "an experimental reactor", "the pilot suit of {his} father",
                  "a mysterious core"],
        goals: ["defend the colony", "stop the invasion", "end the war", "uncover the secret of the machines",
                "protect the last city of humanity"],
        deadlines: ["the invaders reach Earth", "the reactor melts down", "the final battle begins", "the colony falls"],
        foes: ["the alien invaders", "the Earth Federation", "a rogue ace pilot", "the Zeon Army"],
        threats: ["launches an attack on the colony", "wants the prototype for itself", "is building an army of machines",
                  "has the same robot with a darker pilot"],
        teamActions: ["fight on the front lines", "pilot their machines into the heart of the enemy fleet",
                      "defend the last city of humanity"],
        questions: ["end the war", "protect humanity", "survive the final battle", "control the machine"],
        journeys: ["war", "fight for humanity", "battle in the stars"],
        hooks: ["The war for humanity begins now.", "Steel will clash in the stars.", "Get in the robot."],
        titleAdjectives: ["Steel", "Mobile", "Iron", "Orbital", "Armored", "Thunder"],
        titleNouns: ["Frame", "Titan", "Gundam", "Guardian", "Squadron", "Core"],
        titleRoles: ["Giant Robot", "Ace Pilot", "Android", "Mechanic"],
        subtitles: ["Iron Blooded Orphans", "The Last Colony", "Counterattack", "Steel Requiem"],
        companions: ["Sci-Fi", "Action", "Drama"])

    static let mystery = DemoGenre(
        name: "Mystery",
        characters: ["Conan/m", "Kiri/f", "Akira/m", "Hotaru/f", "Shoji/m", "Ran/f", "Itsuki/m", "Yume/f"],
        roles: ["high school detective", "police inspector", "journalist", "psychic", "librarian", "private investigator"],
        places: ["a quiet mountain village", "a foggy harbor town", "an isolated mansion", "the old school building",
                 "a luxury hotel", "Yomi Station"],
        worldFacts: ["people have been disappearing for years", "no one talks about the night of the fire",
                     "a strange rumor spreads through the school", "the police have closed the case too quickly"],
        events: ["finds a body in the old school building", "receives a letter from a dead classmate",
                 "witnesses a murder no one else remembers", "loses {his} memory after an accident",
                 "is the only witness to a locked-room murder", "hears a rumor about a cursed video"],
        consequences: ["begins to investigate the truth", "is drawn into a series of mysterious murders",
                       "must solve the case before {he} becomes the next victim", "discovers a conspiracy that reaches the top",
                       "starts to doubt {his} own memories", "follows a trail of clues into the past"],
        traits: ["never forgets a face", "has solved every case {he} has touched", "can hear the voices of the dead",
                 "trusts no one"],
        allyTraits: ["knows more than {ahe} admits", "works for the police", "was there on the night of the fire",
                     "can read any lock", "has a photographic memory"],
        objects: ["a bloodstained diary", "a strange key", "a cursed videotape", "an anonymous letter", "a torn photograph"],
        goals: ["find the killer", "solve the locked-room murder", "uncover the truth behind the disappearances",
                "prove {his} innocence", "break the cycle of murders"],
        deadlines: ["the killer strikes again", "the festival night", "the last ferry leaves", "the evidence disappears"],
        foes: ["a masked killer", "the secret society", "a brilliant criminal mastermind", "someone in the village"],
        threats: ["is always one step ahead", "will kill again", "is watching {his} every move", "knows {his} secret"],
        teamActions: ["follow the clues deeper into the mystery", "search the mansion for the truth", "race to solve the case"],
        questions: ["find the killer in time", "uncover the truth", "solve the case", "escape the village alive"],
        journeys: ["investigation", "search for the truth", "case"],
        hooks: ["The truth is always one.", "Nothing is what it seems.", "Someone in this room is a killer."],
        titleAdjectives: ["Hidden", "Silent", "Crimson", "Twisted", "Forgotten", "Midnight"],
        titleNouns: ["Truth", "Case Files", "Detective", "Secret", "Clue", "Labyrinth"],
        titleRoles: ["Detective", "Murderer", "Psychic", "Ghost"],
        subtitles: ["The Final Case", "The Locked Room", "Truth in the Fog", "The Vanishing"],
        companions: ["Drama", "Sci-Fi", "Romance"])

    static let romance = DemoGenre(
        name: "Romance",
        characters: ["Yuki/f", "Sakura/f", "Hikaru/m", "Riku/m", "Kokoro/f", "Souta/m", "Airi/f", "Minato/m"],
        roles: ["bookworm", "popular transfer student", "aspiring manga artist", "cafe waitress",
                "childhood friend", "student council president"],
        places: ["Seika Academy", "a small cafe by the station", "a seaside high school", "the library after school",
                 "the same apartment building", "the school garden"],
        worldFacts: ["the cherry blossoms bloom every spring", "love letters are a school tradition",
                     "every student dreams of a summer romance", "rumors spread faster than the wind"],
        events: ["falls in love with {his} childhood friend", "confesses to the wrong person", "moves in next door to {his} crush",
                 "agrees to a fake relationship", "finds a love letter in {his} shoe locker",
                 "is paired with the most popular student in school"],
        consequences: ["tries to hide {his} feelings", "must decide what {he} really wants",
                       "finds {himself} in a love triangle", "slowly learns what love means",
                       "cannot stop thinking about that moment", "starts to fall for the one person {he} should not"],
        traits: ["has never been in love", "is too shy to speak to anyone", "promised to marry {his} childhood friend",
                 "believes love is a waste of time"],
        allyTraits: ["hides {ahis} own feelings", "has loved {him} for years", "gives terrible advice about love",
                     "is the most popular student in school", "moved away long ago"],
        objects: ["a love letter", "a shared umbrella", "a promise ring", "a handmade lunch", "a diary full of secrets"],
        goals: ["confess {his} feelings", "win {his} crush's heart", "keep {his} promise", "choose between two hearts",
                "find true love"],
        deadlines: ["graduation day", "the summer festival", "the end of the school year", "the last cherry blossoms fall"],
        foes: ["a popular rival", "{his} strict parents", "a misunderstanding", "the school's idol"],
        threats: ["is falling for the same person", "stands in the way of their love", "threatens to tell everyone",
                  "will not give up without a fight"],
        teamActions: ["spend a summer they will never forget", "grow closer day by day", "share an umbrella in the rain"],
        questions: ["confess {his} feelings in time", "find true love", "choose the right heart", "keep {his} promise"],
        journeys: ["love story", "first love", "romance"],
        hooks: ["Love is never simple.", "A heartwarming love story begins.", "Spring is the season of first love."],
        titleAdjectives: ["Sweet", "Secret", "First", "Spring", "Bittersweet", "Shy"],
        titleNouns: ["Love", "Heart", "Confession", "Kiss", "Letter", "Promise"],
        titleRoles: ["Idol", "Fiance", "Secret Admirer", "Princess", "Prince"],
        subtitles: ["Second Season", "Spring of Love", "Our First Kiss", "Until Graduation"],
        companions: ["Comedy", "Drama", "Slice of Life"])

    static let sciFi = DemoGenre(
        name: "Sci-Fi",
        characters: ["Kei/m", "Ayumi/f", "Jin/m", "Nova/f", "Takeshi/m", "Lyra/f", "Okabe/m", "Mayu/f"],
        roles: ["hacker", "space cadet", "android", "time traveler", "scientist", "starship captain"],
        places: ["Neo Tokyo", "the space station Horizon", "a colony on Mars", "the year 2099", "the Outer Rim",
                 "a city ruled by artificial intelligence"],
        worldFacts: ["humans and androids live side by side", "time travel has been outlawed",
                     "the Earth has been abandoned for centuries", "every thought is monitored by the network"],
        events: ["builds a machine that sends messages to the past", "wakes up from cryogenic sleep",
                 "hacks into the government's network", "receives a signal from deep space",
                 "discovers {he} is an android", "is stranded on a distant planet"],
        consequences: ["must change the future before it is too late", "uncovers a conspiracy across the galaxy",
                       "becomes the target of a powerful corporation", "travels through time to save {his} friends",
                       "sets out to find the last humans", "questions what it means to be human"],
        traits: ["was built in a laboratory", "can hack any system", "remembers a future that never happened",
                 "has lived for three hundred years"],
        allyTraits: ["is an android with a human heart", "comes from the future", "knows the secret of the network",
                     "pilots the fastest ship in the galaxy", "was once a corporate agent"],
        objects: ["a time machine", "a stolen data chip", "a starship", "a message from the future", "an alien artifact"],
        goals: ["change the future", "stop the rogue AI", "return to Earth", "save the colony", "prevent the end of the world"],
        deadlines: ["the timeline collapses", "the signal fades", "the AI takes control", "the colony runs out of air"],
        foes: ["the rogue AI", "a powerful corporation", "the Time Patrol", "an alien armada"],
        threats: ["controls every machine in the city", "wants to erase {him} from history", "is coming for the Earth",
                  "has rewritten the timeline"],
        teamActions: ["travel across the galaxy", "race against time", "hack into the heart of the network"],
        questions: ["change the future", "save humanity", "return to {his} own time", "stop the rogue AI"],
        journeys: ["journey through time", "voyage to the stars", "mission"],
        hooks: ["The future is not set in stone.", "Time is running out.", "The stars hold the answer."],
        titleAdjectives: ["Quantum", "Stellar", "Cyber", "Galactic", "Infinite", "Neon"],
        titleNouns: ["Gate", "Horizon", "Paradox", "Signal", "Protocol", "Nebula"],
        titleRoles: ["Android", "Time Traveler", "Alien", "Hacker"],
        subtitles: ["Steins of Fate", "The Last Signal", "Beyond the Stars", "Zero Hour"],
        companions: ["Mecha", "Action", "Mystery"])

    static let sliceOfLife = DemoGenre(
        name: "Slice of Life",
        characters: ["Rin/f", "Yui/f", "Tomo/m", "Hana/f", "Kenta/m", "Chiyo/f", "Sho/m", "Mio/f"],
        roles: ["new teacher", "high school student", "retiree", "baker", "first-year college student", "camping enthusiast"],
        places: ["a small mountain town", "a quiet island", "a neighborhood bakery", "the light music club",
                 "a lakeside campsite", "a countryside school"],
        worldFacts: ["life moves at its own gentle pace", "the seasons change slowly", "everyone knows everyone",
                     "the days are long and peaceful"],
        events: ["moves to the countryside", "joins the light music club", "opens a small bakery",
                 "goes camping for the first time", "starts living alone", "takes in a stray cat"],
        consequences: ["discovers the joy of simple things", "makes friends {he} never expected",
                       "learns to enjoy each passing day", "finds a new place to belong", "slowly grows into adulthood",
                       "learns to cook for the first time"],
        traits: ["loves quiet mornings", "has just moved to town", "is learning to play the guitar", "always carries a camera"],
        allyTraits: ["bakes the best bread in town", "plays the drums too loudly", "knows every trail in the mountains",
                     "is always cheerful", "loves the sea"],
        objects: ["a secondhand guitar", "a camera", "a bicycle", "a tent", "a recipe book"],
        goals: ["make the most of every day", "play at the school festival", "see the stars from the mountain",
                "bake the perfect bread", "make new friends"],
        deadlines: ["spring comes", "the school festival", "the end of summer", "graduation"],
        foes: ["the winter cold", "a rainy week", "final exams", "a lack of club members"],
        threats: ["threatens to ruin the camping trip", "keeps getting in the way", "is just around the corner",
                  "could close the club forever"],
        teamActions: ["spend their days together", "practice after school", "explore the town on their bicycles"],
        questions: ["make the most of this season", "find {his} place", "keep the club together", "enjoy every moment"],
        journeys: ["everyday life", "peaceful days", "new chapter"],
        hooks: ["Every day is a small adventure.", "Life is made of little moments.", "Tomorrow will be another gentle day."],
        titleAdjectives: ["Gentle", "Sunny", "Peaceful", "Little", "Warm", "Everyday"],
        titleNouns: ["Days", "Bakery", "Camp", "Seasons", "Café", "Afternoon"],
        titleRoles: ["Baker", "Cat", "Teacher", "Camper"],
        subtitles: ["Another Season", "Summer Days", "Winter Camp", "The Next Chapter"],
        companions: ["Comedy", "Romance", "Drama"])
}
