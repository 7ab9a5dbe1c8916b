import Foundation
import QueueDeckDomain

/// The one-line inputs (filter, command line, prompts), pickers and the help overlay.
extension ConsoleController {
    /// A paste into a one-line input: its lines joined by spaces.
    func oneLine(_ s: String) -> String { s.split(whereSeparator: \.isNewline).joined(separator: " ") }

    /// Keys of a scrolling overlay (help, messages): scroll within its lines, anything else closes.
    func overlayKey(_ key: Key, _ scroll: Int, _ make: (Int) -> Mode) -> Outcome {
        let last = max(0, overlayLines - helpPage)
        let at = min(scroll, last)  // an overlay opened "at the end" starts from there
        let page = max(1, helpPage - 1)
        switch key {
        case .char("j"), .down: mode = make(min(last, at + 1))
        case .char("k"), .up: mode = make(max(0, at - 1))
        case .pageDown, .char(" "), .ctrl("f"), .ctrl("d"): mode = make(min(last, at + page))
        case .pageUp, .char("b"), .ctrl("b"), .ctrl("u"): mode = make(max(0, at - page))
        case .char("g"), .home: mode = make(0)
        case .char("G"), .end: mode = make(last)
        case .resize: break
        default: mode = .normal
        }
        return .none
    }

    func filterKey(_ key: Key, _ text: String) -> Outcome {
        switch key {
        case .escape: mode = .normal; setFilter("")
        case .enter: mode = .normal
        case .backspace:
            let t = String(text.dropLast())
            mode = .filter(t)
            setFilter(t)
        case .ctrl("u"):
            mode = .filter("")
            setFilter("")
        case .char(let c):
            let t = text + String(c)
            mode = .filter(t)
            setFilter(t)
        case .paste(let p):
            let t = text + oneLine(p)
            mode = .filter(t)
            setFilter(t)
        case .down, .up: return handleInNormal(key)
        default: break
        }
        return .none
    }

    func handleInNormal(_ key: Key) -> Outcome {
        let saved = mode
        mode = .normal
        let r = handle(key)
        mode = saved
        return r
    }

    /// What Tab offers for the command line as typed: command names, then each command's arguments.
    public static func completions(_ text: String, keyMap: KeyMap<ConsoleAction>, desk: ConsoleDesk) -> [String] {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if parts.count <= 1 {
            var names: [String] = []
            for b in keyMap.bindings where b.onCommandLine && !names.contains(b.action.rawValue) { names.append(b.action.rawValue) }
            return names.filter { $0.hasPrefix(text.lowercased()) }
        }
        let word = parts.last!.lowercased()
        let head = parts.dropLast().joined(separator: " ") + " "
        let options: [String]
        switch keyMap.binding(named: parts[0])?.action {
        case .assign?: options = desk.rules.agents.filter { $0.may(.reply) }.map(\.user) + desk.rules.departments.map(\.name) + ["none"]
        case .sort?: options = QueueOrder.allCases.map(\.rawValue)
        case .queue?: options = ConsoleController.queues.map { $0?.rawValue ?? "all" }
        case .priority?: options = Priority.allCases.map(\.name)
        case .canned?: options = desk.cannedResponses.map(\.name)
        case .presence?: options = Presence.allCases.map(\.rawValue)
        case .contact?:
            // The field, then for groups the desk's groups with + or -.
            options = parts.count == 2 ? ["group", "name", "phone", "email"]
                : parts[1].lowercased() == "group" ? desk.rules.contactGroups.flatMap { ["+" + $0.name, "-" + $0.name] } : []
        case .filter?:
            // A field name (negated too: `-chan`), or a value of a field with a known set of values,
            // also after a comma (`status:open,an`).
            let negation = word.hasPrefix("-") ? "-" : ""
            if let colon = word.firstIndex(of: ":") {
                let field = String(word[word.index(word.startIndex, offsetBy: negation.count)..<colon])
                let values = TicketFilter.values(of: field, rules: desk.rules)
                let valuePart = word[word.index(after: colon)...]
                let prefix = String(word[...colon]) + (valuePart.lastIndex(of: ",").map { String(valuePart[...$0]) } ?? "")
                options = values.map { prefix + $0 }
            } else {
                options = TicketFilter.fields.map { negation + $0 + ":" }
            }
        case .down?, .up?, .top?, .bottom?, .pageDown?, .pageUp?, .halfDown?, .halfUp?, .nextQueue?, .open?, .help?,
             .messages?, .command?, .back?, .mark?, .unmark?, .redraw?, .reply?, .note?, .claim?, .next?, .postpone?,
             .resolve?, .reopen?, .tag?, .accept?, .attachment?, .save?, .scrollDown?, .scrollUp?, .lineDown?, .lineUp?, .previousMessage?,
             .nextMessage?, .conversationStart?, .conversationEnd?, .send?, .newLine?, .insertCanned?, .leave?,
             .cursorLeft?, .cursorRight?, .cursorUp?, .cursorDown?, .lineStart?, .lineEnd?, .deleteBack?,
             .deleteForward?, .deleteWord?, .deleteLine?, nil:
            options = []  // free text (a reply, a note, tags, a time), or no arguments at all
        }
        return options.filter { $0.lowercased().hasPrefix(word) }.map { head + $0 }
    }

    func commandKey(_ key: Key, _ text: String) -> Outcome {
        switch key {
        case .escape: mode = .normal; completionChoices = []
        case .backspace:
            completionChoices = []
            if text.isEmpty { mode = .normal } else { mode = .command(String(text.dropLast())) }
        case .ctrl("u"): mode = .command(""); completionChoices = []
        case .tab:
            let options = ConsoleController.completions(text, keyMap: keyMap, desk: desk)
            completionChoices = []
            if options.count == 1 {
                // A finished word gets a space; a field name (`channel:`) waits for its value.
                mode = .command(options[0].hasSuffix(":") ? options[0] : options[0] + " ")
            } else if let p = commonPrefix(options), p.count > text.count {
                mode = .command(p)
                completionChoices = options.map { $0.split(separator: " ").last.map(String.init) ?? $0 }
            } else if !options.isEmpty {
                completionChoices = options.map { $0.split(separator: " ").last.map(String.init) ?? $0 }
            } else {
                completionChoices = ["(nothing to complete)"]
            }
        case .char(let c): mode = .command(text + String(c)); completionChoices = []
        case .paste(let p): mode = .command(text + oneLine(p)); completionChoices = []
        case .enter:
            mode = .normal
            completionChoices = []
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let name = parts.first else { return .none }
            guard let b = keyMap.binding(named: name) else { say("unknown command '\(name)'; ? lists them", error: true); return .none }
            return run(b.action, argument: parts.count > 1 ? parts[1] : (b.arguments == nil ? nil : ""))
        default: break
        }
        return .none
    }

    func commonPrefix(_ list: [String]) -> String? {
        guard var p = list.first else { return nil }
        for s in list.dropFirst() { while !s.hasPrefix(p) { p.removeLast() } }
        return p
    }

    func promptKey(_ key: Key, _ prompt: Prompt) -> Outcome {
        var p = prompt
        switch key {
        case .escape: mode = .normal; preRefused = []; say("cancelled")
        case .backspace: p.text = String(p.text.dropLast()); mode = .prompt(p)
        case .ctrl("u"): p.text = ""; mode = .prompt(p)
        case .char(let c): p.text.append(c); mode = .prompt(p)
        case .paste(let s): p.text += oneLine(s); mode = .prompt(p)
        case .enter:
            mode = .normal
            switch p.purpose {
            case .postpone: postpone(p.targets, until: p.text, seen: p.seen)
            case .tags: tag(p.targets, p.text, seen: p.seen)
            case .reason(let to): act(p.targets, verb: "reassigned to \(to)", seen: p.seen) { .reassign($0, to: to, reason: p.text) }
            }
        default: break
        }
        return .none
    }

    func pickerKey(_ key: Key, _ picker: Picker) -> Outcome {
        var p = picker
        switch key {
        case .escape:
            preRefused = []
            if case .canned(let into?) = p.purpose { mode = .composer(into) } else { mode = .normal; say("cancelled") }
        case .down: p.selection = min(p.selection + 1, max(0, p.visible.count - 1)); mode = .picker(p)
        case .up: p.selection = max(0, p.selection - 1); mode = .picker(p)
        case .backspace: p.query = String(p.query.dropLast()); p.selection = 0; mode = .picker(p)
        case .char(let c): p.query.append(c); p.selection = 0; mode = .picker(p)
        case .paste(let s): p.query += oneLine(s); p.selection = 0; mode = .picker(p)
        case .enter:
            guard p.selection < p.visible.count else { return .none }
            let choice = p.visible[p.selection].value
            mode = .normal
            switch p.purpose {
            case .assign:
                mode = .prompt(Prompt(purpose: .reason(to: choice), label: "Reason (optional, Enter to skip): ", targets: p.targets, seen: p.seen))
            case .priority:
                if let pr = Priority(name: choice) { act(p.targets, verb: "set to \(pr.name)", seen: p.seen) { .setPriority($0, pr) } }
            case .attachment(let id):
                return openAttachment(id, Int(choice) ?? 0)
            case .canned(let into):
                let text = desk.cannedResponses.first { $0.name == choice }?.text ?? ""
                if var c = into {
                    let filled = state[c.ticket].map { Placeholders.fill(text, ticket: $0, agent: desk.actor) } ?? text
                    // Never glued to the word before it.
                    let chars = c.field.characters
                    let needsSpace = c.field.cursor > 0 && !chars[c.field.cursor - 1].isWhitespace
                    c.field.insert((needsSpace ? " " : "") + filled)
                    saveDraft(c.field.text, [c.ticket], .reply)
                    mode = .composer(c)
                } else {
                    return startWriting(.reply, text: nil, canned: text, targets: p.targets)
                }
            }
        default: break
        }
        return .none
    }
}
