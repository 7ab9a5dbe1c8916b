import CQueueDeckWidth

/// Terminal columns, counted as glibc's wcwidth does in a UTF-8 locale (CJK 2, combining marks 0).
public enum DisplayWidth {
    /// Columns of one character (grapheme cluster): its widest scalar, never negative.
    public static func of(_ c: Character) -> Int {
        var width = 0
        for s in c.unicodeScalars {
            let v = s.value
            let w = v < 0x7F && v >= 0x20 ? 1 : Int(qdeck_wcwidth(v))
            if w > width { width = w }
        }
        return width
    }

    public static func of(_ s: String) -> Int {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.count }  // ASCII: one column a byte
        return s.reduce(0) { $0 + of($1) }
    }
}

extension ScreenText {
    /// One clean display line cut to `width` columns (with `…` when cut), padded with spaces to
    /// exactly `width` when `pad`. Cuts never split a wide character.
    public static func fit(_ text: String, width: Int, pad: Bool = false) -> String {
        guard width > 0 else { return "" }
        let clean = line(text)
        var out = ""
        var used = 0
        let total = DisplayWidth.of(clean)
        if total <= width {
            out = clean
            used = total
        } else {
            for c in clean {
                let w = DisplayWidth.of(c)
                if used + w > width - 1 { break }
                out.append(c)
                used += w
            }
            out.append("…")
            used += 1
        }
        if pad && used < width { out += String(repeating: " ", count: width - used) }
        return out
    }
}

extension ScreenText {
    /// Wraps one clean line to `width` columns, at spaces where it can, mid-word where it must.
    public static func wrap(_ line: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if DisplayWidth.of(line) <= width { return [line] }
        var out: [String] = []
        var current = ""
        var used = 0
        var lastSpace: String.Index? = nil
        for ch in line {
            let w = DisplayWidth.of(ch)
            if used + w > width {
                if let sp = lastSpace, sp > current.startIndex {
                    out.append(String(current[..<sp]))
                    current = String(current[current.index(after: sp)...])
                } else {
                    out.append(current)
                    current = ""
                }
                used = DisplayWidth.of(current)
                lastSpace = nil
            }
            if ch == " " { lastSpace = current.endIndex }
            current.append(ch)
            used += w
        }
        out.append(current)
        return out
    }
}
