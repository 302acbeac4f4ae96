/// A cron expression that could not be parsed, naming the field and the offending value.
///
/// `description` is the sentence a user reads, for example
/// `invalid cron expression '61 * * * *': minute value '61' is out of range 0-59`.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole expression as it was given.
    public let expression: String
    /// The field at fault: `minute`, `hour`, `day-of-month`, `month`, `day-of-week`,
    /// or `expression` for a wrong field count or an unknown preset.
    public let field: String
    /// The offending token (a value, range, step or list), or the whole expression for a wrong field count.
    public let value: String
    /// What is wrong, as a clause that names the field and the value,
    /// for example `minute value '61' is out of range 0-59`.
    public let reason: String

    /// Creates an error for `expression`.
    /// - Parameters:
    ///   - expression: the whole expression as it was given.
    ///   - field: the field at fault, or `expression`.
    ///   - value: the offending token.
    ///   - reason: the clause a user reads after the expression.
    public init(expression: String, field: String, value: String, reason: String) {
        self.expression = expression
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// `invalid cron expression '<expression>': <reason>`.
    public var description: String {
        "invalid cron expression '\(expression)': \(reason)"
    }
}
