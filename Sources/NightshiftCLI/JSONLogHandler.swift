package import ArgumentParser
package import Foundation
package import Logging
import Synchronization
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// How the long-running commands (scheduler, standalone, serve) write their log to standard error.
package enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `2026-12-07T12:00:00+0000 info nightshift.scheduler : home=… Scheduler started`, for people.
    case text
    /// One JSON object per line (`time`, `level`, `label`, `message`, then the metadata as fields), for log shippers.
    case json
}

/// `--log-format`, shared by the commands that run services.
package struct LogOptions: ParsableArguments {
    @Option(help: "How the log on standard error is written: text, or json (one object per line, the metadata as fields).")
    package var logFormat: LogFormat = .text

    package init() {}
}

/// A log handler writing one JSON object per event: `time` (UTC, milliseconds), `level`, `label`, `message`, `source`,
/// `error` when the event carries one, then every metadata key as a field of its own (a key that would shadow one of
/// those is written as `metadata.KEY`). Each line is one `write(2)`, so lines from several threads never interleave.
package struct JSONLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    let label: String
    let output: Int32

    package init(label: String, output: Int32 = STDERR_FILENO, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static let reserved: Set<String> = ["time", "level", "label", "message", "source", "error"]

    package func log(event: LogEvent) {
        let line = Self.line(
            time: Date(), level: event.level, label: label, message: "\(event.message)", source: event.source,
            error: event.error.map { "\($0)" },
            metadata: metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 })
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(output, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }  // a closed or full stderr loses the line, never the process
                offset += written
            }
        }
    }

    /// The JSON text of one event (no newline).
    package static func line(
        time: Date, level: Logger.Level, label: String, message: String, source: String, error: String?, metadata: Logger.Metadata
    ) -> String {
        var fields: [String: JSONValue] = [
            "time": .string(timestamp(time)), "level": .string(level.rawValue), "label": .string(label), "message": .string(message),
            "source": .string(source),
        ]
        if let error { fields["error"] = .string(error) }
        for (key, value) in metadata {
            fields[reserved.contains(key) ? "metadata.\(key)" : key] = json(value)
        }
        return JSONValue.object(fields).jsonText
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let values): return .array(values.map(json))
        case .dictionary(let entries): return .object(entries.mapValues(json))
        }
    }

    /// `2026-12-07T12:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), min(millis, 999))
    }
}

extension CLI {
    /// The format ``bootstrapLogging(level:format:)`` installed, for ``announce(_:)``.
    static let logFormat = Mutex<LogFormat>(.text)

    /// Text for the person who started the process (where the dashboard listens, a generated password): as written in
    /// text mode; as one JSON log line (`level` notice, label `nightshift`) in JSON mode, so the stream stays JSON.
    package static func announce(_ text: String) {
        if logFormat.withLock({ $0 }) == .json {
            let line = JSONLogHandler.line(
                time: Date(), level: .notice, label: "nightshift", message: text.trimmingCharacters(in: .whitespacesAndNewlines),
                source: "NightshiftCLI", error: nil, metadata: [:])
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
