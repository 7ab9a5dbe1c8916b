/// Numbers drawn large enough to read from across a room: a 3×5 font whose pixels grow with the
/// space given (a pixel is two columns by one row when it fits, which looks square on a terminal).
public enum BigDigits {
    static let font: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"],
        "%": ["# #", "  #", " # ", "#  ", "# #"],
        "-": ["   ", "   ", "###", "   ", "   "],
        " ": ["   ", "   ", "   ", "   ", "   "],
    ]
    static let glyphRows = 5
    static let glyphCols = 3

    /// Pixel size (columns, rows) for `text` to fit `width`×`height`, largest first; nil if even
    /// one-cell pixels do not fit (the caller prints plain text instead).
    public static func scale(_ text: String, width: Int, height: Int) -> (sx: Int, sy: Int)? {
        let n = text.count
        guard n > 0 else { return nil }
        var sy = height / glyphRows
        while sy >= 1 {
            for sx in [2 * sy, sy] where size(n, sx: sx, sy: sy).cols <= width { return (sx, sy) }
            sy -= 1
        }
        return nil
    }

    public static func size(_ chars: Int, sx: Int, sy: Int) -> (cols: Int, rows: Int) {
        (chars * glyphCols * sx + max(0, chars - 1) * sx, glyphRows * sy)
    }

    /// Draws `text` with its top-left corner at (row, col).
    public static func draw(_ text: String, into g: inout Grid, row: Int, col: Int, sx: Int, sy: Int, block: String, style: Style) {
        var x = col
        for ch in text {
            let glyph = font[ch] ?? font[" "]!
            for (gy, line) in glyph.enumerated() {
                for (gx, px) in line.enumerated() where px == "#" {
                    for dy in 0..<sy {
                        g.put(String(repeating: block, count: sx), row: row + gy * sy + dy, col: x + gx * sx, width: sx, style: style)
                    }
                }
            }
            x += (glyphCols + 1) * sx
        }
    }
}
