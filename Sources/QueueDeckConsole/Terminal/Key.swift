/// A key press, decoded from curses.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    case alt(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, altEnter, escape, tab, backTab, backspace, delete, resize
    case function(Int)
    /// Text that arrived as one bracketed paste: text, never commands; its line breaks are `\n`.
    case paste(String)

    /// How the help overlay names the key.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-" + String(c).uppercased()
        case .alt(let c): "Alt-" + String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .altEnter: "Alt-Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .resize: "resize"
        case .function(let n): "F\(n)"
        case .paste: "paste"
        }
    }
}
