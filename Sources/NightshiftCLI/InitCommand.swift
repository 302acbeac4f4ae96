import ArgumentParser
import Foundation

/// `nightshift init DIR`: writes a Swift package of one's own DAGs that depends on Nightshift.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a Swift package for your own DAGs: Package.swift, an example DAG, a main, and a test that runs the DAG inline.",
        discussion: """
            Run from a Nightshift checkout, the package depends on that checkout by path; elsewhere pass --nightshift-url \
            (and --from) or --nightshift-path. Then: cd DIR && swift run NAME standalone
            """)

    @Argument(help: "The directory to create (its last component names the package and its executable, e.g. my-jobs).") var directory: String
    @Option(help: "Depend on the Nightshift checkout at this path (default: the checkout this binary was built in, if any).")
    var nightshiftPath: String?
    @Option(help: "Depend on Nightshift by this git URL instead of a path.") var nightshiftURL: String?
    @Option(help: "With --nightshift-url: the lowest version to accept.") var from = "0.1.0"
    @Flag(help: "Write into an existing empty directory.") var force = false

    func run() async throws {
        let target = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let name = target.lastPathComponent
        let module = try Self.moduleName(for: name)
        let dependency = try resolveDependency()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
            guard isDirectory.boolValue, contents.isEmpty else {
                throw CLIError.usage("'\(target.path)' already exists and is not an empty directory; choose a new directory")
            }
        }
        let files = StarterTemplate(name: name, module: module, dependency: dependency).files
        for (path, text) in files {
            let url = target.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                throw CLIError.failure("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
        let next = [
            ("cd \(directory)", ""), ("swift test", "# runs the example DAG inline"),
            ("swift run \(name) standalone", "# scheduler + dashboard on ./.nightshift"),
            ("swift run \(name) dags trigger hello_nightly --wait", "# in a second terminal"),
        ]
        let width = next.map(\.0.count).max() ?? 0
        print("""
            Created \(target.path) (depends on Nightshift \(dependency.summary)):
            \(files.map { "  " + $0.path }.joined(separator: "\n"))

            Next:
            \(next.map { command, note in "  " + (note.isEmpty ? command : command.padding(toLength: width + 2, withPad: " ", startingAt: 0) + note) }
                .joined(separator: "\n"))
            """)
    }

    /// A Swift module name from a package directory name: `my-jobs` → `MyJobs`.
    static func moduleName(for name: String) throws -> String {
        let words = name.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let module = words.joined()
        guard let first = module.first, first.isLetter, module.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw CLIError.usage("invalid package name '\(name)': use ASCII letters, digits and dashes, starting with a letter (e.g. my-jobs)")
        }
        return module
    }

    private func resolveDependency() throws -> StarterTemplate.Dependency {
        if let nightshiftURL {
            guard !nightshiftURL.isEmpty else { throw CLIError.usage("invalid --nightshift-url '': give a git URL") }
            return .url(nightshiftURL, from: from)
        }
        if let nightshiftPath {
            let url = URL(fileURLWithPath: nightshiftPath).standardizedFileURL
            guard Self.isNightshiftCheckout(url) else {
                throw CLIError.usage("invalid --nightshift-path '\(nightshiftPath)': no Nightshift Package.swift at \(url.path)")
            }
            return .path(url.path)
        }
        if let checkout = Self.checkoutOfThisBinary() { return .path(checkout.path) }
        throw CLIError.usage(
            "this binary was not built in a Nightshift checkout: pass --nightshift-path DIR (a checkout) or --nightshift-url URL")
    }

    /// Whether `directory` holds Nightshift's own Package.swift.
    static func isNightshiftCheckout(_ directory: URL) -> Bool {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8) else { return false }
        return text.contains("name: \"Nightshift\"")
    }

    /// The checkout whose `.build` holds this binary, if any.
    static func checkoutOfThisBinary() -> URL? {
        var directory = URL(fileURLWithPath: ReloadWatcher.executablePath).deletingLastPathComponent()
        for _ in 0..<6 {
            if isNightshiftCheckout(directory) { return directory }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
