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
                line.append(contentsOf: repeatElement(" ", count: n)); column += n
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
