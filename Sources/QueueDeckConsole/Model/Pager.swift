/// Where the detail pane's conversation is scrolled. It opens following the newest message (like a
/// chat, or mutt's pager on the last message) and keeps following it as messages arrive, until the
/// agent scrolls; `>` follows again. The view lays the lines out and reports their measures here.
public struct Pager: Sendable, Equatable {
    /// First line shown; nil while following the newest message.
    public private(set) var scroll: Int?
    /// The measures of the last layout: lines in the pane, lines in all, where each message starts,
    /// and the line that shows the newest message best.
    public private(set) var height = 1
    public private(set) var total = 0
    public private(set) var messageStarts: [Int] = []
    public private(set) var anchor = 0

    public init() {}

    public mutating func measure(height: Int, total: Int, messageStarts: [Int], anchor: Int) {
        self.height = max(1, height)
        self.total = total
        self.messageStarts = messageStarts
        self.anchor = anchor
    }

    var maxTop: Int { max(0, total - height) }

    /// The first line to show now.
    public var top: Int { min(max(0, scroll ?? anchor), maxTop) }

    public enum Move: Sendable { case pageDown, pageUp, lineDown, lineUp, nextMessage, previousMessage, start, end }

    public mutating func move(_ m: Move) {
        let current = top
        switch m {
        case .pageDown: scroll = min(maxTop, current + max(1, height - 1))
        case .pageUp: scroll = max(0, current - max(1, height - 1))
        case .lineDown: scroll = min(maxTop, current + 1)
        case .lineUp: scroll = max(0, current - 1)
        case .nextMessage: scroll = min(maxTop, messageStarts.first { $0 > current } ?? maxTop)
        case .previousMessage: scroll = messageStarts.last { $0 < current } ?? 0
        case .start: scroll = 0
        case .end: scroll = nil
        }
    }
}
