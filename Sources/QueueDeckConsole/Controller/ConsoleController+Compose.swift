import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Replies and notes: the editor's file, the chat composer, drafts kept until sent or discarded on
/// purpose, and the rule that a reply is sent on the latest version unless the conversation moved
/// (the customer, or another agent, wrote meanwhile): then the agent decides.
extension ConsoleController {
    /// What a reply must have seen before it goes: customer messages and other agents' replies.
    func movesConversation(_ e: ConversationEntry) -> Bool {
        e.kind == .customer || (e.kind == .reply && e.author != me)
    }

    func conversationMark(_ id: TicketID) -> Int {
        state[id]?.entries.reduce(0) { $0 + (movesConversation($1) ? 1 : 0) } ?? 0
    }

    /// Who last moved the conversation (named when the agent must look before sending).
    func lastWriter(_ id: TicketID) -> String? {
        state[id]?.entries.last(where: movesConversation)?.author
    }

    /// "r on HQW-… opens it": the agent's own key for writing that kind again.
    func reopenHint(_ kind: EditRequest.Kind, _ id: TicketID) -> String {
        let key = keyMap.keys(of: kind == .reply ? .reply : .note).split(separator: " ").first.map(String.init)
        return "\(key ?? (kind == .reply ? ":reply" : ":note")) on \(id) opens it"
    }

    func marks(_ ids: [TicketID]) -> [TicketID: Int] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, conversationMark($0)) })
    }

    func loadDraft(_ id: TicketID, _ kind: EditRequest.Kind) -> String? {
        desk.drafts?.load(agent: me, ticket: id, kind: kind)
    }

    func saveDraft(_ text: String, _ ids: [TicketID], _ kind: EditRequest.Kind) {
        guard let store = desk.drafts else { return }
        for id in ids {
            do {
                try store.save(text, agent: me, ticket: id, kind: kind)
                drafts.insert(id)
            } catch {
                say("\(error)", error: true)
            }
        }
    }

    func removeDraft(_ ids: [TicketID], _ kind: EditRequest.Kind) {
        for id in ids {
            desk.drafts?.remove(agent: me, ticket: id, kind: kind)
            if loadDraft(id, .reply) == nil && loadDraft(id, .note) == nil { drafts.remove(id) }
        }
    }

    /// `r`, `n`, `:reply TEXT`, a canned response: to the marked tickets, else the selected one.
    func startWriting(_ kind: EditRequest.Kind, text: String?, canned: String? = nil, targets given: [TicketID]? = nil) -> Outcome {
        let targets: [TicketID]
        if let given { targets = given } else {
            guard let t = permitted(kind == .reply ? .reply : .note, kind == .reply ? "reply to" : "add a note to") else { return .none }
            targets = t
        }
        guard let first = targets.first, let ticket = state[first] else { return .none }
        if let text {
            deliver(PendingText(kind: kind, tickets: targets, body: text), seen: marks(targets))
            return .none
        }
        let draft = loadDraft(first, kind)
        // A kept email reply carries its recipients' lines: the text grows, the lines stay below.
        let (kept, draftText) = ReplyTemplate.fields(of: draft ?? "")
        var start = draftText
        if let canned {
            let filled = targets.count == 1 ? Placeholders.fill(canned, ticket: ticket, agent: desk.actor) : canned
            start = start.isEmpty ? filled : start.trimmingBlankLines() + "\n\n" + filled
        }
        if kind == .reply && targets.count == 1 && ticket.channel == .chat {
            var c = Composer(ticket: first, text: start, seen: conversationMark(first))
            if draft != nil { c.notice = "your kept draft" }
            mode = .composer(c)
            openDetail(first)
            return .none
        }
        if draft == nil && kind == .reply && targets.count == 1 {
            let calendar = desk.rules.calendar
            start += ReplyTemplate.quote(ticket) { at in
                String(at.iso(offsetSeconds: calendar.utcOffset(at: at)).prefix(16)).replacingOccurrences(of: "T", with: " ")
            }
        }
        let file = ReplyTemplate.file(text: ReplyTemplate.joined(start, kept), kind: kind, tickets: targets.compactMap { state[$0] }, agent: desk.actor)
        return .edit(EditRequest(kind: kind, tickets: targets, file: file, seen: marks(targets), fromDraft: draft != nil,
                                 startsWithText: draft != nil || canned != nil))
    }

    /// Called by the app after the editor closed: `edited` is the file as left (nil when it could
    /// not be read), `status` the editor's exit status, `saved` whether the editor wrote the file.
    public func finishEdit(_ r: EditRequest, edited: String?, status: Int32, saved: Bool = true, problem: String? = nil) {
        let body = edited.map(ReplyTemplate.body(of:)) ?? ""
        let started = ReplyTemplate.body(of: r.file)
        // The text decides (the recipients' lines alone are nothing to send).
        let text = ReplyTemplate.fields(of: body).text
        let startedText = ReplyTemplate.fields(of: started).text
        let what = r.kind.rawValue
        let reopen = reopenHint(r.kind, r.ticket)
        let written = saved && !text.isEmpty && body != started
        if let problem {
            if written { saveDraft(body, r.tickets, r.kind) }
            say("\(problem); nothing sent" + (r.fromDraft || written ? "; your text is kept as a draft (\(reopen))" : ""), error: true)
            return
        }
        if status != 0 {
            if written {
                saveDraft(body, r.tickets, r.kind)
                say("the editor exited with status \(status): nothing sent; your text is kept as a draft (\(reopen))", error: true)
            } else {
                say("cancelled (the editor exited with status \(status)); nothing sent" + (r.fromDraft ? "; the draft is kept (\(reopen))" : ""))
            }
            return
        }
        if !saved {
            // ZZ and :x write only a changed buffer: a draft or canned text left as it was is
            // ambiguous (send it? keep it?), so ask.
            if r.startsWithText && !startedText.isEmpty {
                let p = PendingText(kind: r.kind, tickets: r.tickets, body: started)
                mode = .choice(Choice(question: "The editor quit without saving this \(what) (\(targetLabel(r.tickets))).",
                                      options: [("s", "send it as it is", .send(p, seen: r.seen)), ("k", "keep as draft", .keepDraft(p)),
                                                ("d", "discard", .discardDraft(p))],
                                      onEscape: .keepDraft(p)))
                return
            }
            say("not saved: nothing sent" + (r.fromDraft ? "; the draft is kept (\(reopen))" : ""))
            return
        }
        if text.isEmpty {
            if r.fromDraft {
                removeDraft(r.tickets, r.kind)
                say("draft discarded: the \(what) was empty; nothing sent")
            } else {
                say("cancelled: the \(what) was empty; nothing sent")
            }
            return
        }
        if body == started && !r.startsWithText {
            say("cancelled: nothing written; nothing sent")
            return
        }
        deliver(PendingText(kind: r.kind, tickets: r.tickets, body: body), seen: r.seen)
    }

    /// Sends a reply or note to each ticket on its latest version. A reply whose conversation moved
    /// since the agent looked (and `force` not given) stops for the agent's decision; the text is
    /// kept as a draft until it is sent.
    func deliver(_ p: PendingText, seen: [TicketID: Int], force: Bool = false) {
        absorb()
        if p.kind == .reply && !force {
            let moved = p.tickets.filter { conversationMark($0) > (seen[$0] ?? 0) }
            if let id = moved.first {
                saveDraft(p.body, p.tickets, p.kind)
                openDetail(id)
                let who = lastWriter(id) ?? "someone"
                let more = moved.count > 1 ? " (and \(moved.count - 1) more ticket\(moved.count == 2 ? "" : "s"))" : ""
                mode = .choice(Choice(
                    question: "\(who) wrote on \(id)\(more) meanwhile, shown above. Your reply is kept:",
                    options: [("s", "send anyway", .sendAnyway(p)), ("e", "edit", .editAgain(p)), ("k", "keep as draft", .keepDraft(p))],
                    onEscape: .keepDraft(p)))
                return
            }
        }
        var done: [TicketID] = []
        var refused: [(TicketID, String)] = preRefused
        var mailed = false
        var undeliverable: [TicketID] = []
        preRefused = []
        for id in p.tickets {
            var attempts = 0
            while true {
                guard let t = state[id] else { refused.append((id, "no such ticket")); break }
                let (fields, text) = p.kind == .reply ? ReplyTemplate.fields(of: p.body) : ([], p.body)
                let body = Placeholders.fill(text, ticket: t, agent: desk.actor)
                do {
                    let extras = try replyExtras(fields, for: t)
                    let stored = try desk.perform(p.kind == .reply ? .reply(id, body: body, extras) : .note(id, body: body), sawVersion: t.version)
                    mailed = mailed || stored.contains { if case .delivery(_, .queued) = $0.event.kind { true } else { false } }
                    if stored.contains(where: { if case .delivery(_, .failed) = $0.event.kind { true } else { false } }) {
                        undeliverable.append(id)
                    }
                    done.append(id)
                    break
                } catch let e as JournalError {
                    // A change that does not touch the conversation (tags, priority, assignment, a note)
                    // slipped in between: catch up and send on the new version.
                    guard case .stale = e, attempts < 3 else { refused.append((id, "\(e)")); break }
                    attempts += 1
                    absorb()
                    if p.kind == .reply && !force && conversationMark(id) > (seen[id] ?? 0) {
                        refused.append((id, "the conversation moved while sending; your text is kept as a draft"))
                        break
                    }
                } catch {
                    refused.append((id, "\(error)"))
                    break
                }
            }
        }
        absorb()
        removeDraft(done, p.kind)
        if !refused.isEmpty { saveDraft(p.body, refused.map(\.0), p.kind) }
        marked = marked.intersection(refused.map(\.0))
        // An email reply is in the journal now; its mail goes out in the background and the console
        // says when it was handed over, or why not.
        let onEmail = done.contains { state[$0]?.channel == .email }
        let verb = p.kind == .reply
            ? (mailed ? "reply saved, mail on its way"
                : onEmail && !desk.rules.intake.sendReplies ? "reply saved; this desk sends no mail (a demo, or intake.send_replies off)" : "reply sent")
            : "note added"
        if !undeliverable.isEmpty {
            say("reply saved but NOT mailed on \(undeliverable.map(\.description).joined(separator: ", ")): \(Commands.noAddress)", error: true)
        } else if refused.isEmpty {
            say(done.count == 1 ? "\(verb): \(outcome(done[0]))" : "\(verb) to \(done.count) tickets")
        } else if done.count + refused.count == 1 {
            say("not sent: \(refused[0].1); your text is kept as a draft (\(reopenHint(p.kind, refused[0].0)))", error: true)
        } else {
            say("\(verb) to \(done.count) of \(done.count + refused.count); " + refused.map { "\($0.0) refused: \($0.1)" }.joined(separator: "; ")
                + "; the text is kept as a draft on each refused ticket", error: true)
        }
    }

    // MARK: One-key questions

    func choiceKey(_ key: Key, _ c: Choice) -> Outcome {
        let chosen: Choice.Answer
        if key == .escape { chosen = c.onEscape }
        else if case .char(let ch) = key, let o = c.options.first(where: { $0.key == ch }) { chosen = o.answer }
        else { return .none }
        return answer(chosen)
    }

    /// Carries out an answer to a one-key question.
    func answer(_ answer: Choice.Answer) -> Outcome {
        mode = .normal
        switch answer {
        case .sendAnyway(let p):
            deliver(p, seen: marks(p.tickets), force: true)
        case .send(let p, let seen):
            deliver(p, seen: seen)
        case .discardDraft(let p):
            removeDraft(p.tickets, p.kind)
            say("discarded; nothing sent")
        case .editAgain(let p):
            let file = ReplyTemplate.file(text: p.body, kind: p.kind, tickets: p.tickets.compactMap { state[$0] }, agent: desk.actor)
            return .edit(EditRequest(kind: p.kind, tickets: p.tickets, file: file, seen: marks(p.tickets), fromDraft: true, startsWithText: true))
        case .keepDraft(let p):
            saveDraft(p.body, p.tickets, p.kind)
            say("kept as a draft; \(reopenHint(p.kind, p.tickets[0])) again")
        case .discardComposer(let comp):
            removeDraft([comp.ticket], .reply)
            say("reply discarded")
        case .keepComposer(let comp):
            saveDraft(comp.field.text, [comp.ticket], .reply)
            say("kept as a draft; \(reopenHint(.reply, comp.ticket)) again")
        case .backToComposer(let comp):
            mode = .composer(comp)
        case .acceptMail(let ids, let from):
            act(ids, verb: "accepted (the other sender's mail is the customer's)") { .acceptMail($0, from: from) }
        case .dismissMail(let ids):
            act(ids, verb: "dismissed (the other sender's mail stays theirs)") { .dismissMail($0) }
        case .keepWaiting:
            say("the mail keeps waiting (A decides)")
        }
        return .none
    }

    // MARK: The chat composer

    func composerKey(_ key: Key, _ composer: Composer) -> Outcome {
        var c = composer
        let before = c.field
        if case .paste(let text) = key {
            c.field.insert(text)
        } else if let b = keyMap.binding(for: key, in: .composer) {
            switch b.action {
            case .send: return sendComposer(c)
            case .newLine: c.field.insert("\n")
            case .insertCanned:
                mode = .picker(Picker(purpose: .canned(into: c), title: "Insert canned response", items: cannedItems, targets: [c.ticket]))
                return .none
            case .leave:
                if c.field.isBlank {
                    mode = .normal
                    removeDraft([c.ticket], .reply)
                    say("closed the empty reply")
                } else {
                    saveDraft(c.field.text, [c.ticket], .reply)
                    mode = .choice(Choice(question: "Leave this reply?", options: [
                        ("d", "discard it", .discardComposer(c)), ("k", "keep as draft", .keepComposer(c)), ("c", "continue typing", .backToComposer(c)),
                    ], onEscape: .backToComposer(c)))
                }
                return .none
            case .cursorLeft: c.field.left()
            case .cursorRight: c.field.right()
            case .cursorUp: c.field.up(width: composerWidth)
            case .cursorDown: c.field.down(width: composerWidth)
            case .lineStart: c.field.home()
            case .lineEnd: c.field.end()
            case .deleteBack: c.field.backspace()
            case .deleteForward: c.field.deleteForward()
            case .deleteWord: c.field.deleteWordBack()
            case .deleteLine: c.field.deleteToLineStart()
            case .down, .up, .top, .bottom, .pageDown, .pageUp, .halfDown, .halfUp, .nextQueue, .queue, .open, .filter, .sort, .help, .messages,
                 .command, .back, .mark, .unmark, .redraw, .reply, .note, .assign, .claim, .next, .postpone, .resolve, .reopen, .priority, .tag,
                 .canned, .presence, .accept, .attachment, .save, .contact, .scrollDown, .scrollUp, .lineDown, .lineUp, .previousMessage, .nextMessage,
                 .conversationStart, .conversationEnd:
                break  // not composer keys
            }
        } else if case .char(let ch) = key {
            c.field.insert(String(ch))
        } else if case .pageUp = key { page(.pageUp) } else if case .pageDown = key { page(.pageDown) }
        if c.field != before {
            c.notice = nil
            if c.field.isBlank { removeDraft([c.ticket], .reply) } else { saveDraft(c.field.text, [c.ticket], .reply) }
        }
        mode = .composer(c)
        return .none
    }

    func sendComposer(_ composer: Composer) -> Outcome {
        var c = composer
        let body = c.field.text.trimmingBlankLines()
        guard !body.isEmpty else { c.notice = "nothing to send yet"; mode = .composer(c); return .none }
        absorb()
        let current = conversationMark(c.ticket)
        if current > c.seen {
            // The agent has not seen the new lines yet: show them (the pane follows the newest), ask once.
            c.seen = current
            let who = lastWriter(c.ticket) ?? "the customer"
            c.notice = "\(who) wrote meanwhile (above): Enter sends anyway, or edit"
            pager.move(.end)
            bellPending = false
            mode = .composer(c)
            return .none
        }
        var attempts = 0
        while true {
            guard let t = state[c.ticket] else { return .none }
            do {
                _ = try desk.perform(.reply(c.ticket, body: Placeholders.fill(body, ticket: t, agent: desk.actor)), sawVersion: t.version)
                absorb()
                removeDraft([c.ticket], .reply)
                mode = .normal
                say("reply sent: \(outcome(c.ticket))")
                return .none
            } catch let e as JournalError {
                if case .stale = e, attempts < 3 {
                    attempts += 1
                    absorb()
                    if conversationMark(c.ticket) > c.seen { return sendComposer(c) }
                    continue
                }
                c.notice = "not sent: \(e)"
            } catch {
                c.notice = "not sent: \(error)"
            }
            absorb()
            saveDraft(c.field.text, [c.ticket], .reply)
            mode = .composer(c)
            return .none
        }
    }
}
