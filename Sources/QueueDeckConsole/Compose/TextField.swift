import Foundation
import QueueDeckText

/// A multi-line text being typed (the chat composer): a cursor that moves by character, word and
/// line, edits at the cursor, and a soft-wrapped layout for a width. Pure; the view draws it.
public struct TextField: Sendable, Equatable {
    public private(set) var characters: [Character]
    /// Position of the cursor: the index of the character it stands before.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isBlank: Bool { characters.allSatisfy { $0.isWhitespace } }

    /// Inserts at the cursor. Text is kept as whole characters (a combining accent typed after its
    /// letter joins it; an emoji with a skin tone is one character), and control characters other
    /// than line breaks and tabs are dropped: a paste must not carry ESC or BEL to a customer.
    public mutating func insert(_ s: String) {
        // A tab becomes spaces: what the agent sees is what the customer gets.
        let clean = String(String.UnicodeScalarView(s.replacingOccurrences(of: "\t", with: "    ").unicodeScalars.filter { v in
            v == "\n" || !(v.value < 0x20 || (0x7F...0x9F).contains(v.value))
        }))
        let before = String(characters[..<cursor]) + clean
        characters = Array(before + String(characters[cursor...]))
        cursor = min(characters.count, before.count)
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }

    private var lineStart: Int {
        var i = cursor
        while i > 0 && characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    private var lineEnd: Int {
        var i = cursor
        while i < characters.count && characters[i] != "\n" { i += 1 }
        return i
    }

    public mutating func home() { cursor = lineStart }
    public mutating func end() { cursor = lineEnd }

    /// Ctrl-W: the word before the cursor (and the spaces after it), as in a shell.
    public mutating func deleteWordBack() {
        var i = cursor
        while i > 0 && characters[i - 1] == " " { i -= 1 }
        while i > 0 && characters[i - 1] != " " && characters[i - 1] != "\n" { i -= 1 }
        if i == cursor && i > 0 { i -= 1 }  // at a line start: join with the line before
        characters.removeSubrange(i..<cursor)
        cursor = i
    }

    /// Ctrl-U: from the start of the line to the cursor.
    public mutating func deleteToLineStart() {
        let s = lineStart
        characters.removeSubrange(s..<cursor)
        cursor = s
    }

    /// Up and down move by screen row (a long line wraps), keeping the column where it can.
    public mutating func up(width: Int) {
        let l = layout(width: width)
        guard l.cursorRow > 0 else { cursor = 0; return }
        cursor = l.index(row: l.cursorRow - 1, col: l.cursorCol) ?? cursor
    }

    public mutating func down(width: Int) {
        let l = layout(width: width)
        guard l.cursorRow < l.lines.count - 1 else { cursor = characters.count; return }
        cursor = l.index(row: l.cursorRow + 1, col: l.cursorCol) ?? characters.count
    }

    /// The text soft-wrapped for a width: its screen rows, where each character stands, and the
    /// cursor's row and column.
    public struct Layout: Sendable {
        public var lines: [String]
        public var cursorRow: Int
        public var cursorCol: Int
        /// Character indices on each row (a line break sits at the end of its row).
        var rows: [[Int]]
        var columns: [Int]
        var count: Int

        /// The character at or left of `col` on `row`; the end of the text past the last row's end.
        func index(row: Int, col: Int) -> Int? {
            guard row >= 0, row < rows.count else { return nil }
            if row == rows.count - 1 && col >= DisplayWidth.of(lines[row]) { return count }
            var best: Int? = nil
            for i in rows[row] where columns[i] <= col { best = i }
            return best ?? rows[row].first ?? count
        }
    }

    /// Lines break at the last space that fits, mid-word where no space does; one column is kept
    /// free for the cursor at the end of a row.
    public func layout(width: Int) -> Layout {
        let w = max(2, width) - 1
        var rows: [[Int]] = [[]]
        var widths = [0]
        var breakAfter: Int? = nil  // position in the last row of a space a break may follow
        let cw = { (c: Character) in max(1, DisplayWidth.of(c)) }
        for (i, ch) in characters.enumerated() {
            if ch == "\n" {
                rows[rows.count - 1].append(i)
                rows.append([])
                widths.append(0)
                breakAfter = nil
                continue
            }
            let chw = cw(ch)
            if widths[widths.count - 1] + chw > w {
                if let b = breakAfter, b < rows[rows.count - 1].count - 1 {
                    let last = rows.count - 1
                    let carry = Array(rows[last][(b + 1)...])
                    rows[last].removeSubrange((b + 1)...)
                    widths[last] = rows[last].reduce(0) { $0 + cw(characters[$1]) }
                    rows.append(carry)
                    widths.append(carry.reduce(0) { $0 + cw(characters[$1]) })
                } else {
                    rows.append([])
                    widths.append(0)
                }
                breakAfter = nil
            }
            if ch == " " { breakAfter = rows[rows.count - 1].count }
            rows[rows.count - 1].append(i)
            widths[widths.count - 1] += chw
        }
        var columns = [Int](repeating: 0, count: characters.count)
        var cursorRow = rows.count - 1, cursorCol = widths[widths.count - 1]
        for (r, row) in rows.enumerated() {
            var col = 0
            for i in row {
                columns[i] = col
                if i == cursor { cursorRow = r; cursorCol = col }
                if characters[i] != "\n" { col += cw(characters[i]) }
            }
        }
        let lines = rows.map { String($0.filter { characters[$0] != "\n" }.map { characters[$0] }) }
        return Layout(lines: lines, cursorRow: cursorRow, cursorCol: cursorCol, rows: rows, columns: columns, count: characters.count)
    }
}
