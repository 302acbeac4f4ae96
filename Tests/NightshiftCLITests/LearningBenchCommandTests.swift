import Foundation
import NightshiftTesting
import Testing

/// `nightshift bench learning`, run as the real binary with tiny settings.
@Suite struct LearningBenchCommandTests {
    @Test func textSectionPrintsDocumentedJSONFields() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("bench", "learning", "--only", "text", "--steps", "2", "--repeat", "1", "--words", "5", "--threads", "1", "--json")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["threads"] as? Double == 1)
        #expect(object["repeat"] as? Double == 1)
        #expect(object["gan_original"] == nil && object["gan_nightly"] == nil, "--only text must not run the GANs")
        let text = try #require(object["text"] as? [String: Any])
        for key in ["step_ms", "fastest_step_ms", "sequences_per_s", "epoch_s", "generation_s", "peak_rss_mib"] {
            let value = try #require(text[key] as? Double, "missing \(key) in \(text)")
            #expect(value > 0 && value.isFinite, "\(key) = \(value)")
        }
        #expect(text["vocabulary"] as? Double == 2500)
        #expect(text["input_length"] as? Double == 176)
        #expect(text["batch"] as? Double == 32)
        #expect(text["epoch_sequences"] as? Double == 24_900)
        #expect(text["generated_words"] as? Double == 5)
        #expect(text["threads"] as? Double == 1)
        #expect((text["step_ms_repeats"] as? [Double])?.count == 1)
    }

    @Test func textSectionPrintsReadableFigures() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("bench", "learning", "--only", "text", "--steps", "1", "--repeat", "1", "--words", "3", "--threads", "1")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Learning benchmark: 1 OpenBLAS thread, medians of 1 repeat"), "\(result.stdout)")
        #expect(result.stdout.contains("training step"))
        #expect(result.stdout.contains("epoch of 24900 seq."))
        #expect(result.stdout.contains("3-word synopsis"))
        #expect(result.stdout.contains("peak RSS"))
    }

    @Test func severalSectionsRunInChildProcessesWithTheirOwnPeakRSS() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift(
            "bench", "learning", "--only", "text", "--only", "gan-nightly", "--steps", "1", "--repeat", "1", "--words", "3",
            "--gan-steps", "1", "--gan-warmup", "0", "--posters", "2", "--threads", "1", "--json")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["gan_original"] == nil, "gan-original was not chosen")
        let text = try #require(object["text"] as? [String: Any])
        let gan = try #require(object["gan_nightly"] as? [String: Any])
        for key in ["iteration_s", "generation_s", "posters_per_s", "peak_rss_mib"] {
            let value = try #require(gan[key] as? Double, "missing \(key) in \(gan)")
            #expect(value > 0 && value.isFinite, "\(key) = \(value)")
        }
        #expect(gan["image_size"] as? Double == 64)
        #expect(gan["posters"] as? Double == 2)
        let textRSS = try #require(text["peak_rss_mib"] as? Double)
        let ganRSS = try #require(gan["peak_rss_mib"] as? Double)
        #expect(textRSS > 0 && ganRSS > 0)
    }

    @Test(arguments: [
        (["--threads", "0"], "invalid --threads '0'"),
        (["--repeat", "0"], "invalid --repeat '0'"),
        (["--steps", "0"], "invalid --steps '0'"),
        (["--gan-steps", "0"], "invalid --gan-steps '0'"),
        (["--posters", "0"], "invalid --posters '0'"),
    ])
    func badOptionValueExits2NamingTheOption(_ options: [String], _ message: String) async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift(["bench", "learning", "--only", "text"] + options)
        #expect(result.exitCode == 2, "\(options): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(options): \(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing is measured when an option is invalid")
    }
}
