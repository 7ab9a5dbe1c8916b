import Foundation
import QueueDeckIntake
import QueueDeckMail

/// Parsing speed on hostile input (issue 13, item 11), each at three sizes doubling: a linear parser
/// keeps its MB/s and doubles its time; a quadratic one loses half its speed at each step.
enum HostileInputBench {
    static func run() {
        print("hostile input, release build: MB/s at 1×, 2×, 4× the size (time ratio 4×/1× ≈ 4 when linear)")
        case_("HTML body of `&amp;` × 250k…1M") { n in
            mail(body: "<p>" + String(repeating: "&amp;", count: 250_000 * n) + "</p>", html: true)
        } parse: { _ = MailParser.parse($0) }
        case_("Subject of 50k…200k RFC 2047 words") { n in
            mail(subject: Array(repeating: "=?utf-8?q?a?=", count: 50_000 * n).joined(separator: " "))
        } parse: { _ = MailParser.parse($0) }
        case_("Subject of 10k…40k unterminated `=?`") { n in
            mail(subject: String(repeating: "=?a?q?x", count: 10_000 * n))
        } parse: { _ = MailParser.parse($0) }
        case_("chat line of 1…4 MB") { n in
            Array(#"{"type":"visitor","session":"s","at":"2026-11-24T09:00:00Z","text":""#.utf8)
                + [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) * n) + Array(#""}"#.utf8)
        } parse: { bytes in
            _ = try? ChatTranscriptLine.parse(Substring(String(decoding: bytes, as: UTF8.self)), file: "bench", lineNumber: 1, offset: 0)
        }
    }

    static func mail(subject: String = "hostile", body: String = "body", html: Bool = false) -> [UInt8] {
        Array(("From: a@example.com\nSubject: \(subject)\nMessage-ID: <bench@x>\n" + (html ? "Content-Type: text/html\n" : "") + "\n" + body + "\n").utf8)
    }

    static func case_(_ name: String, make: (Int) -> [UInt8], parse: ([UInt8]) -> Void) {
        var line = "  " + name.padding(toLength: 40, withPad: " ", startingAt: 0)
        var times: [Double] = []
        for n in [1, 2, 4] {
            let input = make(n)
            var best = Double.infinity
            for _ in 0..<3 {
                let t0 = nanos()
                parse(input)
                best = min(best, Double(nanos() - t0) / 1e9)
            }
            times.append(best)
            line += String(format: " %7.1f MB/s (%.3f s)", Double(input.count) / 1e6 / best, best)
        }
        print(line + String(format: "   ratio %.1f", times[2] / times[0]))
    }
}
