/// What a shell task runs: an argv vector, or a script for `sh -c`, with extra environment and a working directory.
///
/// Every argument, the script and environment values may hold template placeholders (`{{ ds }}`, `{{ params.NAME }}`, …)
/// rendered per try; see ``Template``.
public struct ShellCommand: Sendable, Hashable, Codable {
    /// argv, or `["/bin/sh", "-c", script]` for a script.
    public let argv: [String]
    /// Extra environment variables, added to the task process's environment.
    public let environment: [String: String]
    /// The working directory, or nil for the try's scratch directory.
    public let workingDirectory: String?

    /// A command run directly (no shell), e.g. `["python3", "train.py", "{{ ds }}"]`.
    public init(argv: [String], environment: [String: String] = [:], workingDirectory: String? = nil) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// A script run by `/bin/sh -c`.
    public init(script: String, environment: [String: String] = [:], workingDirectory: String? = nil) {
        self.init(argv: ["/bin/sh", "-c", script], environment: environment, workingDirectory: workingDirectory)
    }

    /// Every piece of text that may hold placeholders.
    var templatedTexts: [String] { argv + environment.values.sorted() + (workingDirectory.map { [$0] } ?? []) }

    /// The command with every placeholder rendered.
    /// - Throws: ``TemplateError`` for an unknown placeholder or param.
    public func rendered(with values: TemplateValues) throws(TemplateError) -> ShellCommand {
        var renderedEnvironment: [String: String] = [:]
        for (key, value) in environment { renderedEnvironment[key] = try Template.render(value, with: values) }
        var renderedArgv: [String] = []
        for argument in argv { renderedArgv.append(try Template.render(argument, with: values)) }
        let directory: String?
        if let workingDirectory { directory = try Template.render(workingDirectory, with: values) } else { directory = nil }
        return ShellCommand(argv: renderedArgv, environment: renderedEnvironment, workingDirectory: directory)
    }
}
