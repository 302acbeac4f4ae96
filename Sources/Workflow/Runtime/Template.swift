public import Foundation

/// The values a template placeholder can name for one try.
public struct TemplateValues: Sendable {
    /// `ds`, `ts`, `run_id`, `dag_id`, `task_id`, `try_number`.
    public var builtins: [String: String]
    /// `params.NAME`: the DAG's params merged with the run's conf.
    public var params: [String: JSONValue]

    /// Values for a try of `taskID` in run `runID` at `logicalDate`; a mapped instance adds `map_index` and `map_item`
    /// (a string element as it is, any other as JSON).
    public init(
        dagID: String, runID: String, taskID: String, tryNumber: Int, logicalDate: Date, params: [String: JSONValue], mapIndex: Int? = nil,
        mapItem: JSONValue? = nil
    ) {
        builtins = [
            "ds": Template.dateStamp(logicalDate),
            "ts": Template.timestamp(logicalDate),
            "run_id": runID,
            "dag_id": dagID,
            "task_id": taskID,
            "try_number": String(tryNumber),
        ]
        if let mapIndex { builtins["map_index"] = String(mapIndex) }
        if let mapItem { builtins["map_item"] = mapItem.description }
        self.params = params
    }
}

/// Renders `{{ name }}` placeholders. An unknown placeholder is an error, never an empty string.
public enum Template {
    /// The built-in placeholder names.
    public static let builtinNames = ["ds", "ts", "run_id", "dag_id", "task_id", "try_number"]

    /// `text` with every `{{ name }}` replaced.
    /// - Throws: ``TemplateError`` naming the placeholder and the names that are known.
    public static func render(_ text: String, with values: TemplateValues) throws(TemplateError) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(template: text, placeholder: String(rest[open.lowerBound...]), reason: .unclosed)
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += try value(of: name, in: text, values: values)
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    /// The placeholder names in `text`, in order (used by validation to reject unknown names early).
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// True when `text` has a `{{` with no `}}` after it.
    static func hasUnclosedPlaceholder(_ text: String) -> Bool {
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { return true }
            rest = rest[close.upperBound...]
        }
        return false
    }

    /// The placeholders only a mapped task's instances have.
    public static let mappedNames = ["map_index", "map_item"]

    /// Checks a placeholder name without values: a builtin (`map_index` and `map_item` in a mapped task), or
    /// `params.NAME` with a non-empty NAME.
    static func isKnownName(_ name: String, mapped: Bool = false) -> Bool {
        if builtinNames.contains(name) || (mapped && mappedNames.contains(name)) { return true }
        return name.hasPrefix("params.") && name.count > "params.".count
    }

    private static func value(of name: String, in text: String, values: TemplateValues) throws(TemplateError) -> String {
        if let builtin = values.builtins[name] { return builtin }
        if name.hasPrefix("params.") {
            let key = String(name.dropFirst("params.".count))
            guard let value = values.params[key] else {
                throw TemplateError(template: text, placeholder: name, reason: .unknownParam(known: values.params.keys.sorted()))
            }
            return value.description
        }
        throw TemplateError(template: text, placeholder: name, reason: .unknownName)
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func dateStamp(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }

    /// ISO 8601 of `date` in UTC with offset, e.g. `2026-11-23T03:00:00+00:00`.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d+00:00", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }
}

/// A template that names something that does not exist.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the placeholder could not be rendered.
    public enum Reason: Sendable, Equatable {
        case unknownName
        case unknownParam(known: [String])
        case unclosed
    }

    /// The whole template text.
    public let template: String
    /// The placeholder's name as written.
    public let placeholder: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .unknownName:
            return "unknown placeholder '{{ \(placeholder) }}' in '\(template)'; known: "
                + (Template.builtinNames + ["params.NAME"]).joined(separator: ", ")
        case .unknownParam(let known):
            return "unknown param in placeholder '{{ \(placeholder) }}' in '\(template)'; params: "
                + (known.isEmpty ? "(none)" : known.joined(separator: ", "))
        case .unclosed:
            return "unclosed placeholder '\(placeholder)' in '\(template)'"
        }
    }
}
