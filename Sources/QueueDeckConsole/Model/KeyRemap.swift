/// A user's own key for an action (a `keys:` line of the team file or of keys.yaml), with the
/// place it was written, for errors.
public struct KeyRemap: Sendable {
    public var action: String
    public var keys: [String]
    public var place: String
    /// The file it came from: a later file (the user's own) wins over an earlier one (the team's).
    public var file: String
    public init(action: String, keys: [String], place: String, file: String? = nil) {
        self.action = action
        self.keys = keys
        self.place = place
        self.file = file ?? String(place.split(separator: ":").first ?? "")
    }
}

public struct KeyRemapErrors: Error, CustomStringConvertible {
    public var errors: [String]
    public var description: String { errors.joined(separator: "\n") }
}

extension Key {
    /// A key by the name help shows (`r`, `Space`, `Ctrl-T`, `PgDn`, `F5`, `Alt-Enter`), or the
    /// usual short forms (`C-t`, `M-x`, `^T`, `PageDown`).
    public init?(name raw: String) {
        let name = raw.trimmingWhitespace()
        guard !name.isEmpty else { return nil }
        let lower = name.lowercased()
        let named: [String: Key] = [
            "space": .char(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab,
            "shift-tab": .backTab, "backtab": .backTab, "backspace": .backspace, "del": .delete, "delete": .delete,
            "up": .up, "↑": .up, "down": .down, "↓": .down, "left": .left, "←": .left, "right": .right, "→": .right,
            "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown, "home": .home, "end": .end,
            "alt-enter": .altEnter, "m-enter": .altEnter,
        ]
        if let k = named[lower] { self = k; return }
        if name.count == 1 { self = .char(name.first!); return }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { self = .function(n); return }
        for prefix in ["ctrl-", "c-", "^"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter else { return nil }
            self = .ctrl(c)
            return
        }
        for prefix in ["alt-", "m-"] where lower.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first else { return nil }
            self = .alt(c)
            return
        }
        return nil
    }

    /// A key that types text: a text field keeps these for itself.
    var types: Bool {
        if case .char = self { return true }
        return false
    }
}

extension KeyMap {
    /// The table with the user's keys applied in order: the team file's, then the user's own, which
    /// win over the team's and over the defaults. Every mistake is reported with its place: an
    /// unknown action or key name, a typing key for the composer, Ctrl-C or Ctrl-Z (the
    /// terminal's), one key given to two actions of the same place in one file, or a key taken
    /// from an action that would be left with no key at all.
    public func applying(_ remaps: [KeyRemap]) throws(KeyRemapErrors) -> KeyMap {
        var errors: [String] = []
        var overrides: [(action: Action, keys: [Key])] = []
        var taken: [String: [Scope: [Key: (action: Action, place: String)]]] = [:]
        var takenFrom: [(victim: Action, key: Key, by: Action, place: String)] = []
        let names = bindings.map(\.action.rawValue)
        for r in remaps {
            guard let action = Action(rawValue: r.action.lowercased()), let binding = bindings.first(where: { $0.action == action }) else {
                let near = names.filter { $0.hasPrefix(String(r.action.lowercased().prefix(3))) }
                errors.append("\(r.place): unknown action '\(r.action)'" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)")
                              + "; ? in the console lists them")
                continue
            }
            var keys: [Key] = []
            for name in r.keys {
                guard let k = Key(name: name) else {
                    errors.append("\(r.place): \(action.rawValue): unknown key '\(name)'; use a character, Space, Enter, Esc, Tab, "
                                  + "Backspace, Del, Up, Down, Left, Right, PgUp, PgDn, Home, End, F1–F12, Ctrl-x or Alt-x")
                    continue
                }
                if k == .ctrl("c") || k == .ctrl("z") {
                    errors.append("\(r.place): \(action.rawValue): \(k) belongs to the terminal (interrupt, suspend)")
                    continue
                }
                if binding.scope == .composer && k.types {
                    errors.append("\(r.place): \(action.rawValue): '\(k)' types text in the composer; give it a Ctrl, Alt or named key")
                    continue
                }
                if let other = taken[r.file]?[binding.scope]?[k], other.action != action {
                    errors.append("\(r.place): \(action.rawValue): key \(k) is already given to \(other.action.rawValue) at \(other.place)")
                    continue
                }
                taken[r.file, default: [:]][binding.scope, default: [:]][k] = (action, r.place)
                for b in bindings where b.scope == binding.scope && b.action != action && b.keys.contains(k) {
                    takenFrom.append((b.action, k, action, r.place))
                }
                keys.append(k)
            }
            overrides.append((action, keys))
        }
        let result = remapped(overrides)
        // An action left with no key at all (its only key taken, not given another) is a mistake,
        // not a silent loss: say which line took it.
        for t in takenFrom where result.keys(of: t.victim).isEmpty && !overrides.contains(where: { $0.action == t.victim }) {
            let message = "\(t.place): \(t.by.rawValue): key \(t.key) is \(t.victim.rawValue)'s only key; give \(t.victim.rawValue) another key too"
            if !errors.contains(message) { errors.append(message) }
        }
        if !errors.isEmpty { throw KeyRemapErrors(errors: errors) }
        return result
    }
}
