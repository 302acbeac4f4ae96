/// One of the five fields of a cron expression, with its bounds and names.
enum CronField: CaseIterable, Sendable {
    case minute
    case hour
    case dayOfMonth
    case month
    case dayOfWeek

    /// The name used in error messages.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Every value a token may name (day-of-week accepts 7 as a second Sunday).
    var bounds: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The values `*` and `?` stand for (day-of-week: 0...6, Sunday once).
    var full: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : bounds
    }

    /// Upper-case names accepted in place of numbers.
    var names: [String: Int] {
        switch self {
        case .month:
            ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
        case .dayOfWeek:
            ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        default:
            [:]
        }
    }

    /// How error messages describe the accepted names, such as `(SUN-SAT)`.
    var namesHint: String? {
        switch self {
        case .month: "JAN-DEC"
        case .dayOfWeek: "SUN-SAT"
        default: nil
        }
    }

    /// Whether `?` (an alias of `*`) is accepted.
    var allowsQuestionMark: Bool {
        self == .dayOfMonth || self == .dayOfWeek
    }
}
