/// The one door through which text written by strangers reaches a terminal.
///
/// C0 controls, DEL and ESC become visible Control Pictures (␛, ␇, ...), C1 controls become `�`,
/// bidirectional override and isolate characters are removed, tabs are expanded, and lines are
/// split here (CR LF, LF, lone CR shown as ␍), so no byte sequence from a customer can move the
/// cursor, change the title, clear the screen or reorder what an agent reads.
public enum ScreenText {
    public static let bidiControls: ClosedRange<UInt32> = 0x202A...0x202E
    public static let bidiIsolates: ClosedRange<UInt32> = 0x2066...0x2069

    /// Splits and cleans text into display lines.
    public static func lines(_ text: String, tabWidth: Int = 8) -> [String] {
        var out: [String] = []
        var line = String.UnicodeScalarView()
        var column = 0
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            let v = s.value
            switch v {
            case 0x0A:
                out.append(String(line)); line = .init(); column = 0
            case 0x0D:
                if scalars.first?.value == 0x0A { continue }  // CR LF ends the line at the LF
                line.append("\u{240D}"); column += 1
            case 0x09:
                let n = tabWidth - column % tabWidth
                line.appendEach(repeatElement(" ", count: n)); column += n
            case 0x00..<0x20:
                line.append(Unicode.Scalar(0x2400 + v)!); column += 1
            case 0x7F:
                line.append("\u{2421}"); column += 1
            case 0x80...0x9F:
                line.append("\u{FFFD}"); column += 1
            case bidiControls, bidiIsolates, 0x200E, 0x200F, 0x061C:
                continue
            default:
                line.append(s); column += 1
            }
        }
        out.append(String(line))
        return out
    }

    /// One display line: line breaks are shown as `⏎`.
    public static func line(_ text: String) -> String {
        lines(text, tabWidth: 1).joined(separator: " \u{23CE} ")
    }
}

extension ScreenText {
    /// Characters above the C0 range that a terminal obeys rather than shows: DEL, the C1 controls,
    /// and the bidirectional controls `lines` removes.
    static func obeyedAboveC0(_ v: UInt32) -> Bool {
        v == 0x7F || (0x80...0x9F).contains(v) || bidiControls.contains(v) || bidiIsolates.contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// Whether text can reach a terminal as it is: no control character but the line feed, nothing
    /// `obeyedAboveC0`. The common case, checked in one pass.
    public static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A) || obeyedAboveC0($0.value) }
    }

    /// JSON text with the characters JSON leaves raw but a terminal obeys written as `\uXXXX`
    /// escapes (JSON writers escape C0 themselves): the data is the same to a JSON reader, inert on
    /// a screen. They can only stand inside JSON strings, where such an escape is valid.
    public static func inertJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { obeyedAboveC0($0.value) }) else { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if obeyedAboveC0(s.value) {
                let hex = String(s.value, radix: 16)
                out.appendEach(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}

extension String.UnicodeScalarView {
    /// Appends one scalar at a time: `append(contentsOf:)` here copies the whole view each call
    /// (quadratic on 1M `&amp;`), appending a scalar does not.
    mutating func appendEach(_ scalars: some Sequence<Unicode.Scalar>) { for s in scalars { append(s) } }
}
