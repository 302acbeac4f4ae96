import Foundation
import NightshiftCLI

/// What the anime benchmarks share: blocking work off the cooperative pool, progress lines on stderr.
enum BenchSupport {
    /// Runs blocking work (BLAS training, image decoding, waiting on a child) on a thread of its own with a 16 MiB
    /// stack, off the cooperative pool.
    static func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws(CLIError) -> T) async throws(CLIError) -> T {
        let result: Result<T, CLIError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(CLIError) { continuation.resume(returning: .success(try body())) } catch { continuation.resume(returning: .failure(error)) }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        return try result.get()
    }

    /// Prints `value` as pretty, key-sorted JSON on stdout (non-finite figures as "nan", "inf", "-inf").
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// One progress line on stderr (stdout stays for the figures).
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
