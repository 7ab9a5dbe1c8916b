import Testing
@testable import QueueDeckDomain

/// What the console asks of the domain: placeholders, refusals before prompts, SLA ordering at now.
@Suite struct ConsoleSupportTests {
    @Test func placeholdersAreFilledPerTicketButNeverInQuotes() {
        var d = TestDesk()
        let id = d.create(at: TestDesk.at(9), subject: "Invoice", customer: Customer(name: "Ilze Bērziņa", email: "ilze@inbox.lv"))
        let anna = d.rules.agent(user: "anna")!
        let text = "Dear {first_name} ({customer}), about {ticket} \"{subject}\":\n> {first_name} wrote this\n{agent_first_name} / {agent} {unknown}"
        let filled = Placeholders.fill(text, ticket: d.state[id]!, agent: anna)
        #expect(filled == "Dear Ilze (Ilze Bērziņa), about \(id) \"Invoice\":\n> {first_name} wrote this\nAnna / Anna Ozola {unknown}")
        #expect(Placeholders.fill("no braces", ticket: d.state[id]!, agent: anna) == "no braces")
    }

    @Test func refusalsAreKnownBeforeTheDetails() throws {
        var d = TestDesk()
        let mine = d.create(at: TestDesk.at(9))
        let bobs = d.create(at: TestDesk.at(9))
        try d.run(.claim(bobs), at: TestDesk.at(9, 5), as: "bob")
        let ctx = { (user: String) in CommandContext(actor: d.rules.agent(user: user)!, now: TestDesk.at(10), rules: d.rules, newTicketID: { .desk }) }
        #expect(Commands.refusal(.reassign, mine, state: d.state, context: ctx("anna")) == nil)
        #expect(Commands.refusal(.reassign, bobs, state: d.state, context: ctx("anna")) == .notPermitted(user: "anna", permission: .reassignAny))
        #expect("\(Commands.refusal(.reassign, bobs, state: d.state, context: ctx("anna"))!)".contains("anna may only reassign or claim their own or unassigned tickets"))
        #expect(Commands.refusal(.reassign, bobs, state: d.state, context: ctx("lea")) == nil)  // a supervisor may
        #expect(Commands.refusal(.reopen, mine, state: d.state, context: ctx("anna")) != nil)    // not resolved
        #expect(Commands.refusal(.reply, mine, state: d.state, context: ctx("wall")) == .notPermitted(user: "wall", permission: .reply))
        // "Nothing to do" is not a refusal: the details may still make it something.
        #expect(Commands.refusal(.claim, bobs, state: d.state, context: ctx("bob")) == nil)
        #expect(Commands.refusal(.tag, mine, state: d.state, context: ctx("anna")) == nil)
    }

    /// A ticket whose clocks are all paused now (postponed: its clock resumes later) sorts after every
    /// running one, even when its eventual deadline is nearer. It once came 21st among running ones.
    @Test func pausedNowSortsAfterRunningClocks() throws {
        var d = TestDesk()
        let postponed = d.create(at: TestDesk.at(10), subject: "postponed")       // due 12:00 if it ran
        try d.run(.postpone(postponed, until: TestDesk.at(11)), at: TestDesk.at(10, 10))  // resumes 11:00, due 12:50
        let running = d.create(at: TestDesk.at(10, 55), subject: "running")      // due 12:55
        let ctx = ViewContext(now: TestDesk.at(10, 56), me: "anna", rules: d.rules)
        #expect(ctx.sla(d.state[postponed]!).state == .paused)
        let order = QueueView.tickets(d.state, filter: .empty, order: .sla, context: ctx).map(\.id)
        #expect(order == [running, postponed])
        // Once it wakes, its deadline counts again.
        let later = ViewContext(now: TestDesk.at(11, 1), me: "anna", rules: d.rules)
        #expect(QueueView.tickets(d.state, filter: .empty, order: .sla, context: later).map(\.id) == [postponed, running])
    }

    @Test func filterValuesForCompletion() {
        let d = TestDesk()
        #expect(TicketFilter.values(of: "channel", rules: d.rules) == ["email", "call", "chat"])
        #expect(TicketFilter.values(of: "department", rules: d.rules).contains("billing"))
        #expect(TicketFilter.values(of: "assignee", rules: d.rules).prefix(2) == ["me", "none"])
        #expect(TicketFilter.values(of: "tag", rules: d.rules).isEmpty)
    }

    /// A reply on an email ticket whose customer has no address is not "answered" in silence: the
    /// outbox keeps it as undeliverable, with the reason (issue 13, item 4).
    @Test func aReplyToNoAddressWaitsUndeliverable() throws {
        var d = TestDesk()
        let id = d.create(at: TestDesk.at(9), customer: Customer(name: "Phone Only"))
        let events = try d.run(.reply(id, body: "Hello"), at: TestDesk.at(10))
        #expect(events.count == 3)
        let box = d.state.outbox
        #expect(box.count == 1)
        #expect(box.first?.step == .failed(Commands.noAddress))
        #expect(box.first?.to == "")
    }
}
