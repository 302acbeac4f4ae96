import ArgumentParser
import NightshiftCLI
import FakeAnime
import Foundation
import Imaging

/// `nightshift bench imaging`: codec and resize throughput on synthetic posters.
struct ImagingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imaging",
        abstract: "Measure JPEG/PNG decoding, PNG/JPEG encoding and resizing of synthetic posters at 64×64 and 256×256 (images per second).")

    @Option(help: "Repeats; the median is reported.") var `repeat` = 3
    @Flag(help: "Print JSON for scripts.") var json = false

    /// One measured figure.
    struct Figure {
        let size: Int
        let op: String
        let imagesPerSecond: Double
    }

    func run() async throws {
        guard (1...1000).contains(`repeat`) else { throw CLIError.usage("invalid --repeat '\(`repeat`)': use 1 to 1000") }
        var results: [Figure] = []
        if !json { print(" size  op                 images/s  (median of \(`repeat`))") }
        for size in [64, 256] {
            let posters = SyntheticPoster.make(count: 8, size: size, seed: UInt64(size))
            let jpegs = try posters.map { poster in try Self.checked { () throws(ImagingError) in try JPEG.encode(poster, quality: 90) } }
            let pngs = try posters.map { poster in try Self.checked { () throws(ImagingError) in try PNG.encode(poster) } }
            let target = size == 64 ? 256 : 64
            let operations: [(String, () throws(ImagingError) -> Int)] = [
                ("jpeg_decode", { () throws(ImagingError) in
                    var sum = 0
                    for bytes in jpegs { sum &+= try JPEG.decode(bytes, name: "bench.jpg").width }
                    return sum
                }),
                ("png_decode", { () throws(ImagingError) in
                    var sum = 0
                    for bytes in pngs { sum &+= try PNG.decode(bytes, name: "bench.png").width }
                    return sum
                }),
                ("resize_to_\(target)", { posters.reduce(0) { $0 &+ $1.resized(width: target, height: target).width } }),
                ("png_encode", { () throws(ImagingError) in
                    var sum = 0
                    for poster in posters { sum &+= try PNG.encode(poster).count }
                    return sum
                }),
                ("jpeg_encode", { () throws(ImagingError) in
                    var sum = 0
                    for poster in posters { sum &+= try JPEG.encode(poster, quality: 90).count }
                    return sum
                }),
            ]
            for (op, body) in operations {
                var rates: [Double] = []
                for _ in 0..<`repeat` { rates.append(try Self.imagesPerSecond(batch: posters.count, body)) }
                let median = rates.sorted()[rates.count / 2]
                results.append(Figure(size: size, op: op, imagesPerSecond: median))
                if !json {
                    let figure = String(format: "%.1f", median)
                    print("\(String(repeating: " ", count: max(0, 5 - String(size).count)))\(size)  \(op)\(String(repeating: " ", count: max(1, 16 - op.count)))"
                          + "\(String(repeating: " ", count: max(0, 10 - figure.count)))\(figure) images/s")
                }
            }
        }
        if json {
            let items = results.map { "{\"size\":\($0.size),\"op\":\"\($0.op)\",\"images_per_s\":\(String(format: "%.1f", $0.imagesPerSecond))}" }
            print("{\"results\":[" + items.joined(separator: ",") + "]}")
        }
    }

    /// Runs `body` (one pass over `batch` images) until at least 0.2 s have passed; returns images per second.
    private static func imagesPerSecond(batch: Int, _ body: () throws(ImagingError) -> Int) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var passes = 0, sink = 0
        var elapsed = Duration.zero
        repeat {
            sink &+= try checked(body)
            passes += 1
            elapsed = clock.now - start
        } while elapsed < .milliseconds(200)
        if sink == Int.min { print("") }  // keeps the results alive
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(passes * batch) / seconds
    }

    /// Turns an ImagingError into a CLI failure.
    private static func checked<T>(_ body: () throws(ImagingError) -> T) throws -> T {
        do { return try body() } catch { throw CLIError.failure("imaging benchmark: \(error)") }
    }
}

extension ImagingBench {
    /// The demo catalogue's posters (procedural, deterministic), drawn at `size`×`size`.
    enum SyntheticPoster {
        static func make(count: Int, size: Int, seed: UInt64) -> [RGBImage] {
            let catalogue = DemoCatalogue(shows: count, seed: seed)
            return catalogue.shows.map { show in
                let canvas = catalogue.poster(for: show.malID, width: size, height: size)
                return RGBImage(width: canvas.width, height: canvas.height, pixels: canvas.pixels)
            }
        }
    }
}
