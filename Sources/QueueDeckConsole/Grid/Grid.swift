import Foundation
import QueueDeckText

public enum Color: UInt8, Sendable, CaseIterable {
    case normal = 0, red, green, yellow, blue, magenta, cyan
}

public struct Style: Hashable, Sendable {
    public var color: Color = .normal
    public var bold = false
    public var reverse = false
    public var underline = false
    public var dim = false
    public init(color: Color = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.color = color
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }
    public static let plain = Style()
}

/// One terminal cell: a character (grapheme) and its style. A wide character occupies its cell and
/// the next, which holds the empty string.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style
    public static let blank = Cell(text: " ", style: .plain)
}

/// The in-memory screen that views draw into and that tests inspect. Every string reaches it
/// through `put`, which passes it through ScreenText first: nothing unsanitised gets in.
public struct Grid: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public private(set) var cells: [Cell]

    public init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
        cells = Array(repeating: .blank, count: self.rows * self.cols)
    }

    public subscript(row: Int, col: Int) -> Cell { cells[row * cols + col] }

    /// Writes text at (row, col), at most `width` columns (default: to the right edge), cut with `…`.
    /// Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, width: Int? = nil, style: Style = .plain, pad: Bool = false) -> Int {
        guard row >= 0, row < rows, col >= 0, col < cols else { return 0 }
        let limit = min(width ?? (cols - col), cols - col)
        guard limit > 0 else { return 0 }
        let line = ScreenText.fit(text, width: limit, pad: pad)
        var c = col
        for ch in line {
            let w = DisplayWidth.of(ch)
            if w == 0 {
                // A zero-width character joins the previous cell.
                if c > col { cells[row * cols + c - 1].text.append(ch) }
                continue
            }
            guard c + w <= col + limit else { break }
            cells[row * cols + c] = Cell(text: String(ch), style: style)
            if w == 2 { cells[row * cols + c + 1] = Cell(text: "", style: style) }
            c += w
        }
        return c - col
    }

    /// Fills a rectangle with blanks of a style (backgrounds, reverse bars, clearing overlays).
    public mutating func fill(row: Int, col: Int, height: Int, width: Int, style: Style = .plain) {
        for r in max(0, row)..<min(rows, row + height) {
            for c in max(0, col)..<min(cols, col + width) { cells[r * cols + c] = Cell(text: " ", style: style) }
        }
    }

    /// Restyles cells without changing their text (the selection bar).
    public mutating func restyle(row: Int, col: Int = 0, width: Int? = nil, _ change: (inout Style) -> Void) {
        guard row >= 0, row < rows else { return }
        for c in col..<min(cols, col + (width ?? cols)) { change(&cells[row * cols + c].style) }
    }

    /// The text of one row, as a terminal would show it (for tests).
    public func text(row: Int) -> String {
        (0..<cols).map { self[row, $0].text }.joined()
    }

    /// The whole screen, rows joined by newlines, trailing spaces kept.
    public var text: String { (0..<rows).map { text(row: $0) }.joined(separator: "\n") }

    /// The row and column of the first occurrence of `needle`, if any.
    public func find(_ needle: String) -> (row: Int, col: Int)? {
        for r in 0..<rows {
            let t = text(row: r)
            if let range = t.range(of: needle) {
                return (r, DisplayWidth.of(String(t[..<range.lowerBound])))
            }
        }
        return nil
    }
}
