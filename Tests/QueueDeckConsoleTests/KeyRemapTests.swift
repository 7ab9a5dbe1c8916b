import Testing
@testable import QueueDeckConsole

@Suite struct KeyRemapTests {
    @Test(arguments: [("r", Key.char("r")), ("Space", .char(" ")), ("Ctrl-T", .ctrl("t")), ("C-t", .ctrl("t")), ("^T", .ctrl("t")),
                      ("PgDn", .pageDown), ("pagedown", .pageDown), ("F5", .function(5)), ("Alt-x", .alt("x")), ("M-Enter", .altEnter),
                      ("Esc", .escape), ("↑", .up), ("Shift-Tab", .backTab)])
    func keyNames(name: String, key: Key) {
        #expect(Key(name: name) == key)
    }

    @Test func everyKeyHelpShowsReadsBack() {
        for b in KeyMap.agent.bindings { for k in b.keys { #expect(Key(name: k.description) == k, "\(k.description)") } }
    }

    /// A key is looked up by the first binding that has it: in the built-in tables no key may be
    /// given to two actions of one place, or the second would never run. (`back` has one row per
    /// wording, not per key.)
    @Test func noBuiltInKeyDoesTwoThingsInOnePlace() {
        func clashes<A>(_ map: KeyMap<A>) -> [String] {
            var seen: [Scope: [Key: A]] = [:]
            var out: [String] = []
            for b in map.bindings {
                for k in b.keys {
                    if let other = seen[b.scope]?[k], other != b.action { out.append("\(k) in \(b.scope): \(other.rawValue) and \(b.action.rawValue)") }
                    seen[b.scope, default: [:]][k] = b.action
                }
            }
            return out
        }
        #expect(clashes(KeyMap.agent).isEmpty, "\(clashes(KeyMap.agent))")
        #expect(clashes(KeyMap.wall).isEmpty, "\(clashes(KeyMap.wall))")
        // The wall reads keys outside any ticket: a row in another place would never be reached.
        #expect(KeyMap.wall.bindings.allSatisfy { $0.scope == .queue })
        for b in KeyMap.wall.bindings { for k in b.keys { #expect(Key(name: k.description) == k, "\(k.description)") } }
    }

    @Test func remapsMoveKeysAndHelpFollows() throws {
        let map = try KeyMap.agent.applying([
            KeyRemap(action: "reply", keys: ["R"], place: "keys.yaml:2:3"),
            KeyRemap(action: "scroll-down", keys: ["Space"], place: "keys.yaml:3:3"),
            KeyRemap(action: "insert-canned", keys: ["Ctrl-K"], place: "keys.yaml:4:3"),
        ])
        #expect(map.binding(for: .char("R"))?.action == .reply)
        #expect(map.binding(for: .char("r")) == nil)
        #expect(map.binding(for: .char(" "))?.action == .mark)                 // the list keeps Space
        #expect(map.binding(for: .char(" "), in: .detail)?.action == .scrollDown)  // the pane takes it
        #expect(map.binding(for: .ctrl("k"), in: .composer)?.action == .insertCanned)
        #expect(map.keys(of: .reply) == "R")
        // Taking another action's key: fine while it keeps one (Home stays top's second key)...
        let m2 = try KeyMap.agent.applying([KeyRemap(action: "bottom", keys: ["G", "Home"], place: "x:1:1")])
        #expect(m2.binding(for: .home)?.action == .bottom)
        #expect(m2.keys(of: .top) == "g")
        // ...and when the other action is given a new key in the same breath.
        let m3 = try KeyMap.agent.applying([KeyRemap(action: "resolve", keys: ["r"], place: "x:1:1"), KeyRemap(action: "reply", keys: ["R"], place: "x:2:1")])
        #expect(m3.binding(for: .char("r"))?.action == .resolve && m3.binding(for: .char("R"))?.action == .reply)
        // The user's file wins over the team's: no conflict between files, the later takes the key.
        let m4 = try KeyMap.agent.applying([KeyRemap(action: "reply", keys: ["R", "r"], place: "team.yaml:2:3"),
                                            KeyRemap(action: "note", keys: ["R", "n"], place: "keys.yaml:2:3")])
        #expect(m4.binding(for: .char("R"))?.action == .note && m4.keys(of: .reply) == "r")
    }

    @Test func mistakesAreNamedWithTheirPlace() {
        do {
            _ = try KeyMap.agent.applying([
                KeyRemap(action: "reply", keys: ["R"], place: "keys.yaml:1:3"),
                KeyRemap(action: "resolve", keys: ["R"], place: "keys.yaml:2:3"),
                KeyRemap(action: "fly", keys: ["f"], place: "keys.yaml:3:3"),
                KeyRemap(action: "send", keys: ["x"], place: "keys.yaml:4:3"),
                KeyRemap(action: "note", keys: ["Hyper-Q"], place: "keys.yaml:5:3"),
                KeyRemap(action: "claim", keys: ["Ctrl-C"], place: "keys.yaml:6:3"),
                KeyRemap(action: "mark", keys: ["Enter"], place: "keys.yaml:7:3"),
            ])
            Issue.record("accepted")
        } catch {
            #expect(error.errors.count == 6)
            #expect(error.errors.last == "keys.yaml:7:3: mark: key Enter is open's only key; give open another key too")
            #expect(error.errors[0] == "keys.yaml:2:3: resolve: key R is already given to reply at keys.yaml:1:3")
            #expect(error.errors[1].hasPrefix("keys.yaml:3:3: unknown action 'fly'"))
            #expect(error.errors[2].hasPrefix("keys.yaml:4:3: send: 'x' types text in the composer"))
            #expect(error.errors[3].hasPrefix("keys.yaml:5:3: note: unknown key 'Hyper-Q'"))
            #expect(error.errors[4].hasPrefix("keys.yaml:6:3: claim: Ctrl-C belongs to the terminal"))
        }
    }
}
