/// A DAG param: its default and what a run's conf may set it to (Airflow's `Param`, a small JSON Schema). A literal
/// is a param of its own type: `params: ["rows": 100]` declares an integer defaulting to 100; declare more with
/// `Param(100, minimum: 1, maximum: 1_000_000, description: "rows to extract")` or `Param("eu", oneOf: ["eu", "us"])`.
///
/// Conf is checked against the params wherever a run is triggered (`dags trigger`, the API, the trigger form): a wrong
/// value is refused with a sentence naming the param, the value and what was expected.
public struct Param: Sendable, Hashable {
    /// The JSON types a param may have.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case string, integer, number, boolean, array, object
        /// Any JSON value, null included (a param whose default is null).
        case any

        /// The type a default implies: a whole number is an integer.
        public init(of value: JSONValue) {
            switch value {
            case .null: self = .any
            case .bool: self = .boolean
            case .number(let number): self = number == number.rounded() && abs(number) < 9e15 ? .integer : .number
            case .string: self = .string
            case .array: self = .array
            case .object: self = .object
            }
        }

        /// Whether `value` is of this type (an integer is also a number).
        public func admits(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.any, _), (.string, .string), (.boolean, .bool), (.number, .number), (.array, .array), (.object, .object): true
            case (.integer, .number(let number)): number == number.rounded() && abs(number) < 9e15
            default: false
            }
        }

        /// "an integer", "a string", …
        var withArticle: String {
            switch self {
            case .integer, .array, .object: "an \(rawValue)"
            case .any: "any JSON value"
            default: "a \(rawValue)"
            }
        }
    }

    /// The value a run gets when its conf does not set this param.
    public var defaultValue: JSONValue
    /// The type conf values must have (from the default unless declared).
    public var type: ValueType
    /// The only values allowed, if set (JSON Schema's `enum`).
    public var oneOf: [JSONValue]?
    /// The smallest number allowed (numbers and integers).
    public var minimum: Double?
    /// The largest number allowed (numbers and integers).
    public var maximum: Double?
    /// What the param means, shown by the trigger form and `dags show`.
    public var description: String?

    /// A param with `value` as its default.
    /// - Parameters:
    ///   - value: the default.
    ///   - type: the type conf values must have; default: the default's own type.
    ///   - oneOf: the only values allowed.
    ///   - minimum: the smallest number allowed.
    ///   - maximum: the largest number allowed.
    ///   - description: what the param means.
    public init(
        _ value: JSONValue, type: ValueType? = nil, oneOf: [JSONValue]? = nil, minimum: Double? = nil, maximum: Double? = nil,
        description: String? = nil
    ) {
        self.defaultValue = value
        self.type = type ?? ValueType(of: value)
        self.oneOf = oneOf
        self.minimum = minimum
        self.maximum = maximum
        self.description = description
    }

    /// Why `value` is not allowed for the param `name`, in a sentence, or nil when it is.
    public func problem(with value: JSONValue, name: String) -> String? {
        guard type.admits(value) else {
            return "param '\(name)' must be \(type.withArticle), got \(Self.describe(value))"
        }
        if let oneOf, !oneOf.contains(value) {
            return "param '\(name)' must be one of \(oneOf.map(\.jsonText).joined(separator: ", ")), got \(value.jsonText)"
        }
        if case .number(let number) = value {
            if let minimum, number < minimum { return "param '\(name)' must be at least \(Self.number(minimum)), got \(value.jsonText)" }
            if let maximum, number > maximum { return "param '\(name)' must be at most \(Self.number(maximum)), got \(value.jsonText)" }
        }
        return nil
    }

    /// Why this declaration cannot be used (its default breaks its own rules, the bounds are crossed), or nil.
    func declarationProblem(name: String) -> String? {
        if let minimum, let maximum, minimum > maximum {
            return "minimum \(Self.number(minimum)) is above maximum \(Self.number(maximum))"
        }
        if (minimum != nil || maximum != nil) && ![.number, .integer].contains(type) {
            return "minimum and maximum apply to numbers, and the param is \(type.withArticle)"
        }
        if let oneOf, let wrong = oneOf.first(where: { !type.admits($0) }) {
            return "its allowed value \(wrong.jsonText) is not \(type.withArticle)"
        }
        return problem(with: defaultValue, name: name).map { "its default does not fit: \($0)" }
    }

    /// "string \"abc\"", "number 2.5", "null".
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean \(value.jsonText)"
        case .number: "number \(value.jsonText)"
        case .string: "string \(value.jsonText)"
        case .array: "array \(value.jsonText)"
        case .object: "object \(value.jsonText)"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 9e15 ? String(Int64(value)) : "\(value)"
    }

    /// A short summary: "integer, 1 to 1000000", "string, one of \"eu\", \"us\"".
    public var summary: String {
        var parts = [type.rawValue]
        switch (minimum, maximum) {
        case let (low?, high?): parts.append("\(Self.number(low)) to \(Self.number(high))")
        case let (low?, nil): parts.append("at least \(Self.number(low))")
        case let (nil, high?): parts.append("at most \(Self.number(high))")
        case (nil, nil): break
        }
        if let oneOf { parts.append("one of " + oneOf.map(\.jsonText).joined(separator: ", ")) }
        return parts.joined(separator: ", ")
    }
}

extension Param: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int) { self.init(.number(Double(value))) }
    public init(floatLiteral value: Double) { self.init(.number(value)) }
    public init(booleanLiteral value: Bool) { self.init(.bool(value)) }
    public init(arrayLiteral elements: JSONValue...) { self.init(.array(elements)) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(.object(Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
    public init(nilLiteral: ()) { self.init(.null) }
}

/// A run's conf that the DAG's params refuse: the sentence names the param, the value and what was expected.
public struct ParamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The param (or, for an unknown one, the key) the conf got wrong.
    public let param: String
    public let description: String
}

extension DAG {
    /// Checks a run's conf: every key a declared param, every value of its param's type and within its rules.
    /// - Throws: ``ParamError`` for the first key (in name order) that is wrong.
    public func validate(conf: [String: JSONValue]) throws(ParamError) {
        for key in conf.keys.sorted() {
            guard let param = paramSpecs[key] else {
                let known = paramSpecs.keys.sorted()
                throw ParamError(
                    param: key,
                    description: "DAG '\(id)' has no param '\(key)'"
                        + (known.isEmpty ? " (it declares none)" : "; params: \(known.joined(separator: ", "))"))
            }
            if let problem = param.problem(with: conf[key]!, name: key) { throw ParamError(param: key, description: problem) }
        }
    }
}

extension Param {
    /// The spellings of ``JSONValue`` (`.string(name)` where a value is computed), each a param of its own type.
    public static func string(_ value: String) -> Param { Param(.string(value)) }
    public static func number(_ value: Double) -> Param { Param(.number(value)) }
    public static func bool(_ value: Bool) -> Param { Param(.bool(value)) }
    public static func array(_ value: [JSONValue]) -> Param { Param(.array(value)) }
    public static func object(_ value: [String: JSONValue]) -> Param { Param(.object(value)) }
}
