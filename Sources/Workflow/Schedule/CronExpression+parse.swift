/// Parsing cron text into field sets.
extension CronExpression {
    /// The presets and the five fields each stands for.
    static let presets: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// The expression's whitespace-separated tokens.
    static func tokens(of text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// Parses `text` into an expression.
    static func parse(_ text: String) throws(CronError) -> CronExpression {
        var fields = tokens(of: text)
        if fields.count == 1, fields[0].hasPrefix("@") {
            guard let expansion = presets[fields[0].lowercased()] else {
                throw CronError(
                    expression: text, field: "expression", value: fields[0], reason: "unknown preset '\(fields[0])'")
            }
            fields = tokens(of: expansion)
        }
        guard fields.count == 5 else {
            throw CronError(
                expression: text, field: "expression", value: fields.joined(separator: " "),
                reason: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        var daysOfWeek = try parseField(fields[4], as: .dayOfWeek, in: text)
        if daysOfWeek.contains(7) {
            var folded = CronFieldSet()
            for day in daysOfWeek.values { folded.insert(day % 7) }
            daysOfWeek = folded
        }
        return CronExpression(
            text: text,
            minutes: try parseField(fields[0], as: .minute, in: text),
            hours: try parseField(fields[1], as: .hour, in: text),
            daysOfMonth: try parseField(fields[2], as: .dayOfMonth, in: text),
            months: try parseField(fields[3], as: .month, in: text),
            daysOfWeek: daysOfWeek,
            dayOfMonthRestricted: isRestricted(fields[2]),
            dayOfWeekRestricted: isRestricted(fields[4]))
    }

    /// Whether a day field restricts days for the Vixie OR rule: its text does not start with `*` or `?`.
    static func isRestricted(_ field: String) -> Bool {
        !(field.hasPrefix("*") || field.hasPrefix("?"))
    }

    /// Parses one field: a comma-separated list of `*`, `?`, values, ranges, each with an optional `/step`.
    static func parseField(_ text: String, as field: CronField, in expression: String) throws(CronError) -> CronFieldSet {
        func failure(_ value: some StringProtocol, _ reason: String) -> CronError {
            CronError(expression: expression, field: field.name, value: String(value), reason: reason)
        }
        let elements = text.split(separator: ",", omittingEmptySubsequences: false)
        if elements.contains(where: \.isEmpty) {
            throw failure(text, "\(field.name) list '\(text)' has an empty element")
        }
        var set = CronFieldSet()
        for element in elements {
            let parts = element.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                throw failure(element, "\(field.name) element '\(element)' has more than one step")
            }
            var step = 1
            if parts.count == 2 {
                guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(parts[1]), value > 0 else {
                    throw failure(parts[1], "\(field.name) step '\(parts[1])' must be a positive integer")
                }
                step = value
            }
            let base = parts[0]
            let range: ClosedRange<Int>
            if base == "*" || base == "?" {
                if base == "?" && !field.allowsQuestionMark {
                    throw failure(base, "\(field.name) value '?' is only allowed in day-of-month and day-of-week")
                }
                range = field.full
            } else if base.contains("-") {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count == 2, !bounds[0].isEmpty, !bounds[1].isEmpty else {
                    throw failure(base, "\(field.name) range '\(base)' is malformed (expected start-end)")
                }
                let low = try parseValue(bounds[0], as: field, in: expression)
                let high = try parseValue(bounds[1], as: field, in: expression)
                guard low <= high else {
                    throw failure(base, "\(field.name) range '\(base)' is reversed")
                }
                range = low...high
            } else {
                let value = try parseValue(base, as: field, in: expression)
                // `5/10` means `5-max/10`.
                range = parts.count == 2 ? value...max(value, field.full.upperBound) : value...value
            }
            for value in stride(from: range.lowerBound, through: range.upperBound, by: step) {
                set.insert(value)
            }
        }
        return set
    }

    /// Parses one number or name and checks it against the field's bounds.
    static func parseValue(_ token: Substring, as field: CronField, in expression: String) throws(CronError) -> Int {
        func failure(_ reason: String) -> CronError {
            CronError(expression: expression, field: field.name, value: String(token), reason: reason)
        }
        if !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let value = Int(token), field.bounds.contains(value) else {
                throw failure(
                    "\(field.name) value '\(token)' is out of range \(field.bounds.lowerBound)-\(field.bounds.upperBound)")
            }
            return value
        }
        if let value = field.names[token.uppercased()] {
            return value
        }
        if token == "*" || token == "?" {
            throw failure("\(field.name) value '\(token)' cannot be a range bound")
        }
        if let hint = field.namesHint {
            throw failure("\(field.name) value '\(token)' is not a number or a name (\(hint))")
        }
        throw failure("\(field.name) value '\(token)' is not a number")
    }
}
