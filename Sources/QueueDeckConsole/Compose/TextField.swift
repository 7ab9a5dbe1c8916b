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

    public mutating func insert(_ s: String) {
        let new = Array(s)
        characters.insert(contentsOf: new, at: cursor)
        cursor += new.count
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

    /// Up and down: the same column on the line above or below.
    public mutating func up() {
        let s = lineStart
        guard s > 0 else { cursor = 0; return }
        let column = cursor - s
        var prevStart = s - 1
        while prevStart > 0 && characters[prevStart - 1] != "\n" { prevStart -= 1 }
        cursor = min(prevStart + column, s - 1)
    }

    public mutating func down() {
        let e = lineEnd
        guard e < characters.count else { cursor = characters.count; return }
        let column = cursor - lineStart
        var nextEnd = e + 1
        while nextEnd < characters.count && characters[nextEnd] != "\n" { nextEnd += 1 }
        cursor = min(e + 1 + column, nextEnd)
    }

    /// The text soft-wrapped to `width` display columns, with the row and column of the cursor.
    /// Lines break at the last space that fits, mid-word where no space does; every character is
    /// shown through the screen sanitiser's rules by the grid that draws these lines.
    public func layout(width: Int) -> (lines: [String], cursorRow: Int, cursorCol: Int) {
        let w = max(2, width)
        var lines: [String] = []
        var current: [Character] = []
        var used = 0
        var cursorRow = 0, cursorCol = 0
        var lastSpace: Int? = nil  // index in `current` after which a break may fall
        func newLine() {
            lines.append(String(current))
            current = []
            used = 0
            lastSpace = nil
        }
        for (i, ch) in characters.enumerated() {
            if i == cursor { cursorRow = lines.count; cursorCol = used }
            if ch == "\n" { newLine(); continue }
            let cw = max(1, DisplayWidth.of(ch))
            if used + cw > w - 1 {
                // Break at the last space, carrying the word over; else break here.
                if let sp = lastSpace, sp < current.count {
                    let carry = Array(current[(sp + 1)...])
                    current = Array(current[...sp])
                    let cursorInCarry = cursorRow == lines.count && cursorCol > DisplayWidth.of(String(current))
                    let offset = cursorCol - DisplayWidth.of(String(current))
                    newLine()
                    current = carry
                    used = DisplayWidth.of(String(carry))
                    if cursorInCarry { cursorRow = lines.count; cursorCol = offset }
                } else {
                    newLine()
                }
                if i == cursor { cursorRow = lines.count; cursorCol = used }
            }
            if ch == " " { lastSpace = current.count }
            current.append(ch)
            used += cw
        }
        if cursor == characters.count { cursorRow = lines.count; cursorCol = used }
        lines.append(String(current))
        return (lines, cursorRow, cursorCol)
    }
}
