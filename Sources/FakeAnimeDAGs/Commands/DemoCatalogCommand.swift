import ArgumentParser
import NightshiftCLI
import CatalogueServer
import FakeAnime
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `nightshift demo-catalog`: the project's own Jikan-shaped anime catalogue, for running the pipeline offline.
struct DemoCatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-catalog",
        abstract: "The built-in demo anime catalogue: serve it on loopback in the Jikan v4 shape, or print a sample.",
        subcommands: [Serve.self, Sample.self])

    /// `--shows` and `--seed`, shared by the subcommands.
    struct CatalogueOptions: ParsableArguments {
        @Option(help: "Shows in the catalogue.") var shows = 300
        @Option(help: "Seed of the catalogue; the same seed always gives the same catalogue.") var seed: UInt64 = 1

        func catalogue() throws -> DemoCatalogue {
            guard shows >= 1 else { throw CLIError.usage("invalid --shows '\(shows)': must be at least 1") }
            return DemoCatalogue(shows: shows, seed: seed)
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the demo catalogue on 127.0.0.1 until SIGINT or SIGTERM; prints the API base URL once listening.")

        @Option(help: "TCP port on 127.0.0.1 (0 picks a free one).") var port = 8765
        @OptionGroup var catalogue: CatalogueOptions
        @Option(help: "Shows per page.") var pageSize = 25
        @Option(help: "Answer every Nth request with 429 and Retry-After: 1.") var rateLimitEvery: Int?
        @Option(help: "Answer every Nth request with 500.") var serverErrorEvery: Int?
        @Option(help: "Delay every response by this many milliseconds.") var slowMs: Int?

        func configuration() throws -> CatalogueServerConfiguration {
            guard (0...65_535).contains(port) else { throw CLIError.usage("invalid --port '\(port)': must be 0…65535") }
            guard pageSize >= 1 else { throw CLIError.usage("invalid --page-size '\(pageSize)': must be at least 1") }
            if let rateLimitEvery, rateLimitEvery < 1 {
                throw CLIError.usage("invalid --rate-limit-every '\(rateLimitEvery)': must be at least 1")
            }
            if let serverErrorEvery, serverErrorEvery < 1 {
                throw CLIError.usage("invalid --server-error-every '\(serverErrorEvery)': must be at least 1")
            }
            if let slowMs, slowMs < 0 { throw CLIError.usage("invalid --slow-ms '\(slowMs)': must not be negative") }
            return CatalogueServerConfiguration(
                port: port, pageSize: pageSize,
                faults: .init(rateLimitEvery: rateLimitEvery, serverErrorEvery: serverErrorEvery, slowResponse: slowMs.map { .milliseconds($0) }))
        }

        func run() async throws {
            let configuration = try configuration()
            let server = DemoCatalogueServer(catalogue: try catalogue.catalogue(), configuration: configuration)
            var logger = Logger(label: "nightshift.demo-catalog")
            logger.logLevel = .warning
            let group = ServiceGroup(configuration: .init(
                services: [ServerService(server: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                throw CLIError.failure("cannot serve the demo catalogue on \(configuration.host):\(configuration.port): \(error)")
            }
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the first shows of the demo catalogue as JSON lines.")

        @OptionGroup var catalogue: CatalogueOptions
        @Option(help: "How many shows to print.") var count = 5

        func run() async throws {
            guard count >= 0 else { throw CLIError.usage("invalid --count '\(count)': must not be negative") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for show in try catalogue.catalogue().shows.prefix(count) {
                print(String(decoding: try encoder.encode(show), as: UTF8.self))
            }
        }
    }
}

/// Runs the catalogue server inside the command's `ServiceGroup` and prints the base URL once it listens.
private struct ServerService: Service {
    let server: DemoCatalogueServer

    func run() async throws {
        try await server.run { port in
            FileHandle.standardOutput.write(Data("http://127.0.0.1:\(port)/v4\n".utf8))
        }
    }
}
