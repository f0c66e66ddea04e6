import Foundation
import Testing
import TestSupport

/// report.html of a run, opened in headless Chromium: the screenshot's status banner has the status's colour, and the
/// page (as Chromium built it) shows the steps, the checks and working links to the diagnostics, with no script.
@Suite("Run report in a browser", .serialized)
struct RunReportTests {
    /// The RGB colour of pixel (x, y) of a PNG, read with Python's zlib (8-bit RGB or RGBA, not interlaced).
    static func pixel(_ png: URL, x: Int, y: Int) throws -> [Int] {
        let reader = #"""
        import struct, sys, zlib
        data = open(sys.argv[1], "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        pos, idat = 8, b""
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b"IHDR":
                width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
                assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            elif kind == b"IDAT":
                idat += body
            pos += 12 + length
        raw = zlib.decompress(idat)
        size = 3 if colour == 2 else 4
        stride = width * size
        previous = bytearray(stride)
        want_x, want_y = int(sys.argv[2]), int(sys.argv[3])
        for row in range(height):
            start = row * (stride + 1)
            kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
            for i in range(stride):
                left = line[i - size] if i >= size else 0
                up = previous[i]
                corner = previous[i - size] if i >= size else 0
                if kind == 1: line[i] = (line[i] + left) & 255
                elif kind == 2: line[i] = (line[i] + up) & 255
                elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
                elif kind == 4:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
            if row == want_y:
                print(*line[want_x * size:want_x * size + 3])
                break
            previous = line
        """#
        let result = try Command.run(["python3", "-c", reader, png.path, String(x), String(y)])
        guard result.status == 0 else { throw RunRepository.Failure("could not read \(png.path): \(result)") }
        return result.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func close(_ colour: [Int], to expected: [Int]) -> Bool {
        colour.count == 3 && zip(colour, expected).allSatisfy { abs($0 - $1) <= 8 }
    }

    @Test("a passed and a failed run: banner colours in the screenshot, steps, checks and diagnostics links in the page")
    func reportInChromium() throws {
        guard let chromium = Tools.find("chromium") ?? Tools.find("chromium-browser") else {
            print("skipped: the report test opens report.html in headless Chromium, which is not installed (apt-get install chromium)")
            return
        }
        let repository = try RunRepository()
        defer { repository.remove() }
        #expect(try repository.recorder(["run", "itest", "--quiet"]).status == 0)
        try repository.write("", to: "fail-verify")
        try repository.commit("verify fails")
        #expect(try repository.recorder(["run", "itest", "--quiet"]).status == 2)
        let ids = repository.runIds()
        try #require(ids.count == 2)

        let browser = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                       "--user-data-dir=\(repository.directory.url.appendingPathComponent("chromium").path)"]
        for (runId, colour, word) in [(ids[0], [0x1a, 0x7f, 0x37], "passed"), (ids[1], [0xcf, 0x22, 0x2e], "failed")] {
            let report = repository.folder(runId).appendingPathComponent("report.html")
            let html = try String(contentsOf: report, encoding: .utf8)
            #expect(!html.lowercased().contains("<script") && !html.contains("http://") && !html.contains("https://"),
                    "the report must be readable offline, with no script")
            let png = repository.directory.url.appendingPathComponent("\(runId).png")
            let shot = try Command.run(browser + ["--window-size=1000,700", "--screenshot=\(png.path)", report.absoluteString])
            try #require(shot.status == 0 && FileManager.default.fileExists(atPath: png.path), "\(shot)")
            let banner = try Self.pixel(png, x: 600, y: 20)
            #expect(Self.close(banner, to: colour), "the \(word) banner is \(banner), not \(colour)")
            let page = try Self.pixel(png, x: 980, y: 300)
            #expect(Self.close(page, to: [255, 255, 255]), "the page below the banner is \(page), not white")

            let dom = try Command.run(browser + ["--dump-dom", report.absoluteString])
            #expect(dom.status == 0, "\(dom)")
            #expect(dom.stdout.contains("make itest: \(word)"), "\(dom.stdout.prefix(2000))")
            for step in ["setup", "deploy", "verify"] { #expect(dom.stdout.contains("<td>\(step)</td>")) }
            #expect(dom.stdout.contains("Prometheus answers &lt;on 9090&gt;"), "check titles are escaped")
            let link = "artifacts/itest/diagnostics/B/node-1.txt"
            #expect(dom.stdout.contains("<a href=\"\(link)\">node-1.txt</a>"), "no link to the diagnostics")
            #expect(FileManager.default.fileExists(atPath: repository.folder(runId).appendingPathComponent(link).path), "the link leads nowhere")
            #expect(dom.stdout.contains("<a href=\"make.log\">"))
        }
        let failedSteps = try repository.steps(ids[1]).map { "\($0.0) \($0.1)" }
        #expect(failedSteps == ["itest failed", "setup passed", "deploy passed", "verify failed"])
    }
}
