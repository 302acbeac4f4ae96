import ArgumentParser
import NightshiftCLI
import Executor
import Foundation
import Learning
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// `nightshift bench learning`: the Learning module's text model and DCGANs at the shapes the reference scripts in
/// `../shared/bench/ml-reference` time in TensorFlow and PyTorch (issue 6, "Benchmark").
///
/// When more than one section is chosen (the default is all three), each runs in a child process of this binary
/// (`bench learning --only SECTION --json`), one after the other, so each section's peak RSS is its own: the text
/// model's figure is not inflated by a GAN measured before it.
struct LearningBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning",
        abstract: "Time the text model (original synopsis size) and the original and nightly DCGANs: training steps, epochs, generation, peak RSS.",
        discussion: """
            Sections: text (Embedding 2500×64 → BiLSTM 2×20 → Dense 2500, inputs of 176 ids, batch 32: training step, sequences/s, \
            an epoch of 24,900 sequences, a 60-word synopsis with one forward per word), gan-original (128×128, batch 32: one \
            training iteration takes 1-2 minutes on 2 cores), gan-nightly (64×64, batch 32). Each figure is the median over \
            --repeat runs; peak RSS is getrusage's ru_maxrss of the process that ran the section.
            """)

    /// Which part of the benchmark to run.
    enum Section: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, ganOriginal = "gan-original", ganNightly = "gan-nightly", all

        /// The key of this section's object in the JSON output.
        var jsonKey: String { rawValue.replacingOccurrences(of: "-", with: "_") }
    }

    @Option(help: "OpenBLAS threads (default: every core).") var threads: Int?
    @Option(help: "Repeats of each section; every figure is the median over them.") var `repeat` = 3
    @Option(help: "text, gan-original, gan-nightly or all; repeat it to pick several (gan-original is 1-2 minutes per training iteration on 2 cores).")
    var only: [Section] = []
    @Option(help: "Timed text training steps per repeat (after 5 untimed warm-up steps).") var steps = 30
    @Option(help: "Words per generated synopsis (one forward pass per word).") var words = 60
    @Option(help: "Timed GAN training iterations per repeat.") var ganSteps = 2
    @Option(help: "Untimed GAN training iterations before them (the reference scripts run one).") var ganWarmup = 1
    @Option(help: "Posters generated per GAN repeat.") var posters = 100
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        let threads = try validatedThreads()
        guard (1...100).contains(`repeat`) else { throw CLIError.usage("invalid --repeat '\(`repeat`)': use 1 to 100") }
        guard (1...100_000).contains(steps) else { throw CLIError.usage("invalid --steps '\(steps)': use 1 to 100000") }
        guard (1...10_000).contains(words) else { throw CLIError.usage("invalid --words '\(words)': use 1 to 10000") }
        guard (1...1000).contains(ganSteps) else { throw CLIError.usage("invalid --gan-steps '\(ganSteps)': use 1 to 1000") }
        guard (0...100).contains(ganWarmup) else { throw CLIError.usage("invalid --gan-warmup '\(ganWarmup)': use 0 to 100") }
        guard (1...100_000).contains(posters) else { throw CLIError.usage("invalid --posters '\(posters)': use 1 to 100000") }

        let chosen = only.isEmpty || only.contains(.all) ? [Section.text, .ganOriginal, .ganNightly]
            : [Section.text, .ganOriginal, .ganNightly].filter(only.contains)
        var sections: [(Section, [String: JSONValue])] = []
        if chosen.count == 1 {
            let settings = settings(threads: threads)
            let section = chosen[0]
            let figures = try await BenchSupport.onDedicatedThread { () throws(CLIError) in try Self.measure(section, settings) }
            sections.append((section, figures))
        } else {
            // One child process per section, one after the other, so each section's peak RSS is its own.
            for section in chosen { sections.append((section, try await runInChild(section, threads: threads))) }
        }

        if json {
            var object: [String: JSONValue] = ["threads": .number(Double(threads)), "repeat": .number(Double(`repeat`))]
            for (section, figures) in sections { object[section.jsonKey] = .object(figures) }
            CLI.printJSON(.object(object))
        } else {
            print("Learning benchmark: \(threads) OpenBLAS thread\(threads == 1 ? "" : "s"), medians of \(`repeat`) repeat\(`repeat` == 1 ? "" : "s")")
            for (section, figures) in sections { print(Self.describe(section, figures)) }
        }
    }

    private func validatedThreads() throws -> Int {
        guard let threads else { return ProcessInfo.processInfo.activeProcessorCount }
        guard (1...256).contains(threads) else { throw CLIError.usage("invalid --threads '\(threads)': use 1 to 256") }
        return threads
    }

    /// The options a section needs, as a value that can cross to the measuring thread.
    struct Settings: Sendable {
        var threads: Int
        var repeats: Int
        var steps: Int
        var words: Int
        var ganSteps: Int
        var ganWarmup: Int
        var posters: Int
    }

    private func settings(threads: Int) -> Settings {
        Settings(threads: threads, repeats: `repeat`, steps: steps, words: words, ganSteps: ganSteps, ganWarmup: ganWarmup, posters: posters)
    }

    /// Runs `bench learning --only section --json` with the same settings in a child process and returns its section.
    private func runInChild(_ section: Section, threads: Int) async throws -> [String: JSONValue] {
        let executable = FileManager.default.isExecutableFile(atPath: "/proc/self/exe") ? "/proc/self/exe" : LocalExecutor.currentExecutable
        let arguments = [
            "bench", "learning", "--only", section.rawValue, "--json", "--threads", "\(threads)", "--repeat", "\(`repeat`)",
            "--steps", "\(steps)", "--words", "\(words)", "--gan-steps", "\(ganSteps)", "--gan-warmup", "\(ganWarmup)",
            "--posters", "\(posters)",
        ]
        let output = try await BenchSupport.onDedicatedThread { () throws(CLIError) -> (status: Int32, stdout: Data) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.standardError  // progress lines and errors pass through
            do { try process.run() } catch {
                throw CLIError.failure("could not start '\(executable) \(arguments.joined(separator: " "))': \(error)")
            }
            let stdout = pipe.fileHandleForReading.readDataToEndOfFile()  // the only pipe, drained before waiting
            process.waitUntilExit()
            return (process.terminationStatus, stdout)
        }
        guard output.status == 0 else {
            throw CLIError.failure("bench learning --only \(section.rawValue) failed in its child process (exit status \(output.status))")
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: output.stdout), let figures = value.objectValue?[section.jsonKey]?.objectValue
        else {
            throw CLIError.failure("bench learning --only \(section.rawValue): unexpected child output '\(String(decoding: output.stdout, as: UTF8.self))'")
        }
        return figures
    }

    /// Measures one section in this process; the figures are the JSON object printed under the section's key.
    private static func measure(_ section: Section, _ settings: Settings) throws(CLIError) -> [String: JSONValue] {
        do { try BLAS.load() } catch { throw CLIError.failure("learning benchmark: \(error)") }
        setThreads(settings.threads)
        var figures: [String: JSONValue]
        switch section {
        case .text: figures = try measureText(settings)
        case .ganOriginal: figures = measureGAN(.original, name: "original", settings)
        case .ganNightly: figures = measureGAN(.nightly, name: "nightly", settings)
        case .all: preconditionFailure("'all' runs every section in a child process")
        }
        figures["threads"] = .number(Double(BLAS.threads))
        figures["peak_rss_mib"] = .number(peakRSSMiB())
        return figures
    }

    private static func measureText(_ settings: Settings) throws(CLIError) -> [String: JSONValue] {
        let configuration = TextModelConfiguration.originalSynopses
        var runs: [TextBenchmark.Figures] = []
        for index in 0..<settings.repeats {
            let figures: TextBenchmark.Figures
            do {
                figures = try TextBenchmark.run(configuration: configuration, steps: settings.steps, generatedWords: settings.words)
            } catch { throw CLIError.failure("learning benchmark: \(error)") }
            runs.append(figures)
            BenchSupport.progress(String(format: "  text repeat %d/%d: step %.2f ms, %d-word synopsis %.3f s", index + 1, settings.repeats,
                            figures.stepMilliseconds, settings.words, figures.generationSeconds))
        }
        let stepMilliseconds = median(runs.map(\.stepMilliseconds))
        let batch = configuration.batchSize
        let epochSequences = runs[0].epochSequences
        return [
            "vocabulary": .number(Double(configuration.vocabularySize)), "input_length": .number(Double(configuration.inputLength)),
            "batch": .number(Double(batch)), "steps_per_repeat": .number(Double(settings.steps)),
            "step_ms": .number(stepMilliseconds), "step_ms_repeats": .array(runs.map { .number($0.stepMilliseconds) }),
            "fastest_step_ms": .number(runs.map(\.fastestStepMilliseconds).min()!),
            "sequences_per_s": .number(Double(batch) / (stepMilliseconds / 1000)),
            "epoch_sequences": .number(Double(epochSequences)),
            "epoch_s": .number(stepMilliseconds / 1000 * Double((epochSequences + batch - 1) / batch)),
            "generated_words": .number(Double(settings.words)),
            "generation_s": .number(median(runs.map(\.generationSeconds))),
            "generation_s_repeats": .array(runs.map { .number($0.generationSeconds) }),
        ]
    }

    private static func measureGAN(_ configuration: DCGANConfiguration, name: String, _ settings: Settings) -> [String: JSONValue] {
        var iterations: [Double] = []
        var generations: [Double] = []
        for index in 0..<settings.repeats {
            let result = GANBenchmark.run(configuration: configuration, iterations: settings.ganWarmup + settings.ganSteps, posters: settings.posters)
            let timed = result.iterationTimes.dropFirst(settings.ganWarmup).map(seconds)
            iterations.append(median(timed))
            generations.append(seconds(result.generationTime))
            BenchSupport.progress(String(format: "  gan %@ repeat %d/%d: iterations %@ s, %d posters %.2f s", name, index + 1, settings.repeats,
                            timed.map { String(format: "%.2f", $0) }.joined(separator: ", "), settings.posters, generations.last!))
        }
        let generation = median(generations)
        return [
            "image_size": .number(Double(configuration.imageSize)), "batch": .number(Double(configuration.batchSize)),
            "iterations_per_repeat": .number(Double(settings.ganSteps)), "warmup_iterations": .number(Double(settings.ganWarmup)),
            "iteration_s": .number(median(iterations)), "iteration_s_repeats": .array(iterations.map(JSONValue.number)),
            "posters": .number(Double(settings.posters)), "generation_s": .number(generation),
            "generation_s_repeats": .array(generations.map(JSONValue.number)),
            "posters_per_s": .number(Double(settings.posters) / generation),
        ]
    }

    /// The human-readable lines for one section's figures.
    private static func describe(_ section: Section, _ figures: [String: JSONValue]) -> String {
        func number(_ key: String) -> Double { figures[key]?.doubleValue ?? .nan }
        func row(_ label: String, _ value: String) -> String { "  " + label.padding(toLength: 22, withPad: " ", startingAt: 0) + value }
        let threads = Int(number("threads"))
        let rss = row("peak RSS", String(format: "%9.1f MiB (the section's own process, %d thread%@)", number("peak_rss_mib"), threads, threads == 1 ? "" : "s"))
        switch section {
        case .text:
            return [
                String(format: "text model, original synopsis size (vocabulary %d, input %d ids, batch %d)",
                       Int(number("vocabulary")), Int(number("input_length")), Int(number("batch"))),
                row("training step", String(format: "%9.2f ms  (%.0f sequences/s; fastest step %.2f ms)",
                                            number("step_ms"), number("sequences_per_s"), number("fastest_step_ms"))),
                row("epoch of \(Int(number("epoch_sequences"))) seq.", String(format: "%9.2f s", number("epoch_s"))),
                row("\(Int(number("generated_words")))-word synopsis", String(format: "%9.4f s   (one forward pass per word)", number("generation_s"))),
                rss,
            ].joined(separator: "\n")
        case .ganOriginal, .ganNightly:
            return [
                String(format: "DCGAN %@ preset (%d×%d, batch %d)", section == .ganOriginal ? "original" : "nightly",
                       Int(number("image_size")), Int(number("image_size")), Int(number("batch"))),
                row("training iteration", String(format: "%9.3f s", number("iteration_s"))),
                row("\(Int(number("posters"))) posters", String(format: "%9.3f s   (%.1f posters/s)", number("generation_s"), number("posters_per_s"))),
                rss,
            ].joined(separator: "\n")
        case .all:
            return ""
        }
    }


    private static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kibibytes on Linux
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
