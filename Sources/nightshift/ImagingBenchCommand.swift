import ArgumentParser
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
    /// Procedural posters: a two-colour gradient, a few discs and bars, and light noise (so JPEG sees texture).
    enum SyntheticPoster {
        static func make(count: Int, size: Int, seed: UInt64) -> [RGBImage] {
            var random = BenchRandom(state: seed)
            return (0..<count).map { _ in poster(size: size, using: &random) }
        }

        private static func poster(size: Int, using random: inout BenchRandom) -> RGBImage {
            let top = (random.byte(), random.byte(), random.byte()), bottom = (random.byte(), random.byte(), random.byte())
            var image = RGBImage(width: size, height: size)
            for y in 0..<size {
                let t = Double(y) / Double(max(size - 1, 1))
                for x in 0..<size {
                    let shade = 0.85 + 0.15 * Double(x) / Double(max(size - 1, 1))
                    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8(min(255, (Double(a) * (1 - t) + Double(b) * t) * shade)) }
                    image[x, y] = (mix(top.0, bottom.0), mix(top.1, bottom.1), mix(top.2, bottom.2))
                }
            }
            for _ in 0..<4 {  // discs
                let cx = random.int(size), cy = random.int(size), radius = 2 + random.int(max(size / 4, 1))
                let colour = (random.byte(), random.byte(), random.byte())
                for y in max(0, cy - radius)..<min(size, cy + radius + 1) {
                    for x in max(0, cx - radius)..<min(size, cx + radius + 1) where (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius {
                        image[x, y] = colour
                    }
                }
            }
            for _ in 0..<3 {  // bars
                let x0 = random.int(size), y0 = random.int(size), w = 1 + random.int(size / 2), h = 1 + random.int(size / 8 + 1)
                let colour = (random.byte(), random.byte(), random.byte())
                for y in y0..<min(size, y0 + h) { for x in x0..<min(size, x0 + w) { image[x, y] = colour } }
            }
            for index in image.pixels.indices {  // noise of ±3
                image.pixels[index] = UInt8(clamping: Int(image.pixels[index]) + random.int(7) - 3)
            }
            return image
        }
    }

    /// SplitMix64, so every run benchmarks the same posters.
    struct BenchRandom {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    }
}
