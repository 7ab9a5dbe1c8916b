import Testing
@testable import QueueDeckDomain

/// Issue 15: contacts first-class. A directory folded from the tickets and the agents' edits; a
/// group set on a contact applies to its open tickets' SLA and order from then on (history says
/// so); a caller and an emailer who are one person become one card; intake finds the card.
@Suite struct ContactTests {
    var desk: TestDesk = {
        // VIPs are answered within 30 minutes, everyone else within 2 hours.
        let sla = SLAPolicy(rules: [SLARule(name: "vip", group: "vip", targets: SLATargets(firstResponse: .minutes(30)))],
                            fallback: SLATargets(firstResponse: .hours(2)))
        return TestDesk(sla: sla)
    }()

    func ordered(by order: QueueOrder, at now: Instant) -> [TicketID] {
        QueueView.tickets(desk.state, filter: try! TicketFilter.parse(""), order: order, all: false,
                          context: ViewContext(now: now, me: "anna", rules: desk.rules)).map(\.id)
    }

    func due(_ id: TicketID, at now: Instant) -> Instant? { ViewContext(now: now, me: "anna", rules: desk.rules).sla(desk.state[id]!).dueAt }

    @Test mutating func aVIPSetOnAnExistingContactReordersAndTightensTheSLAOfOpenTicketsOnly() throws {
        let t0 = TestDesk.at(9)
        let ilze = Customer(name: "Ilze", email: "ilze@inbox.lv")
        let old = desk.create(at: t0 - 3_600_000, subject: "Old question", customer: ilze)
        _ = try desk.run(.resolve(old), at: t0 - 1_800_000)
        let other = desk.create(at: t0, subject: "Other customer", customer: Customer(name: "Bob", email: "bob@x.org"))
        let mine = desk.create(at: t0 + 60_000, subject: "Printer", customer: ilze)
        let now = t0 + 120_000
        #expect(ordered(by: .value, at: now) == [other, mine], "equal value: oldest first")
        #expect(due(mine, at: now) == t0 + 60_000 + 7_200_000)

        let events = try desk.run(.editContact(ContactChange(contact: "ILZE@inbox.lv", addGroups: ["vip"])), at: now)
        #expect(events.first?.ticket == .desk)
        #expect(events.dropFirst().map(\.ticket) == [mine], "the resolved ticket keeps the card it was worked with")
        #expect(ordered(by: .value, at: now) == [mine, other])
        #expect(due(mine, at: now) == t0 + 60_000 + 1_800_000, "the VIP target applies")
        #expect(desk.state[old]!.customer.groups.isEmpty)
        let h = try #require(desk.state[mine]!.history.last)
        #expect(h.actor == "anna" && h.at == now && h.text == "customer card: groups +vip (contact edited)")

        // The directory: one card per person, edited.
        let d = ContactDirectory(desk.state)
        let e = try #require(d.entry(for: "ilze@inbox.lv"))
        #expect(e.card.groups == ["vip"] && e.tickets == [old, mine] && e.edited)
        #expect(d.entries.count == 2)

        // Removing the group: back to the ordinary target, from then on.
        _ = try desk.run(.editContact(ContactChange(contact: "ilze@inbox.lv", removeGroups: ["vip"])), at: now + 1000)
        #expect(desk.state[mine]!.customer.groups.isEmpty && ordered(by: .value, at: now + 1000) == [other, mine])
    }

    @Test mutating func aCallerAndAnEmailerWhoAreOnePersonMergeIntoOneCard() throws {
        let t0 = TestDesk.at(9)
        let mail = desk.create(at: t0, subject: "Invoice", customer: Customer(name: "Anne Kalniņa", email: "anne@example.org"))
        let call = desk.create(.call, at: t0 + 1000, subject: "Call", customer: Customer(name: "+371 2000 0001", phone: "+371 2000 0001"))
        #expect(ContactDirectory(desk.state).entries.count == 2)
        _ = try desk.run(.mergeContacts(into: "anne@example.org", from: "0037120000001"), at: t0 + 2000)
        let d = ContactDirectory(desk.state)
        #expect(d.entries.count == 1)
        let e = try #require(d.entry(for: "tel:37120000001"))
        #expect(e.key == "anne@example.org" && e.tickets == [mail, call])
        #expect(e.card.name == "Anne Kalniņa" && e.card.emails == ["anne@example.org"] && e.card.phones == ["+371 2000 0001"])
        #expect(desk.state[call]!.customer.name == "Anne Kalniņa", "the call's card now names her")
        #expect(desk.state[mail]!.customer.phone == "+371 2000 0001")
        // The next call from the number is hers, by the card.
        let next = Intake.known(Customer(name: "unknown", phone: "+37120000001"), in: desk.state)
        #expect(next.name == "Anne Kalniņa" && next.email == "anne@example.org")
    }

    /// A review found a merge into an unedited card ("Unknown caller") losing the name an agent fixed.
    @Test mutating func aMergeKeepsTheNameAnAgentFixed() throws {
        let t0 = TestDesk.at(9)
        _ = desk.create(at: t0, subject: "Mail", customer: Customer(name: "marta@example.lv", email: "marta@example.lv"))
        _ = desk.create(.call, at: t0 + 1000, subject: "Call", customer: Customer(name: "Unknown caller", phone: "+371 2000 0002"))
        _ = try desk.run(.editContact(ContactChange(contact: "marta@example.lv", name: "Marta Liepiņa")), at: t0 + 2000)
        _ = try desk.run(.mergeContacts(into: "+371 2000 0002", from: "marta@example.lv"), at: t0 + 3000)
        let e = try #require(ContactDirectory(desk.state).entry(for: "marta@example.lv"))
        #expect(e.card.name == "Marta Liepiņa" && e.tickets.count == 2)
    }

    @Test mutating func newMailFromAVIPContactIsAVIPs() throws {
        let t0 = TestDesk.at(9)
        _ = desk.create(at: t0, subject: "First", customer: Customer(name: "Ilze", email: "ilze@inbox.lv"))
        _ = try desk.run(.editContact(ContactChange(contact: "ilze@inbox.lv", name: "Ilze Bērziņa", addGroups: ["vip"])), at: t0 + 1000)
        let c = Intake.known(Customer(name: "ilze@inbox.lv", email: "Ilze@Inbox.LV"), in: desk.state)
        #expect(c.groups == ["vip"] && c.name == "Ilze Bērziņa")
        // And a ticket an agent opens for the address.
        let id = desk.create(at: t0 + 2000, subject: "By hand", customer: Customer(name: "Ilze", email: "ilze@inbox.lv"))
        #expect(desk.state[id]!.customer.groups == ["vip"])
    }

    @Test mutating func editsAreCheckedAndRefusedByName() throws {
        let t0 = TestDesk.at(9)
        _ = desk.create(at: t0, customer: Customer(name: "Ilze", email: "ilze@inbox.lv"))
        _ = desk.create(at: t0, customer: Customer(name: "Bob", email: "bob@x.org"))
        func refusal(_ c: Command, as user: String = "anna") -> String {
            do { _ = try desk.run(c, at: t0 + 1000, as: user); return "" } catch { return error.description }
        }
        #expect(refusal(.editContact(ContactChange(contact: "ilze@inbox.lv", addGroups: ["vip"])), as: "wall").contains("contact.edit"))
        #expect(refusal(.editContact(ContactChange(contact: "ilze@inbox.lv", addGroups: ["vipp"]))).contains("not a contact group of this desk (vip, paying)"))
        #expect(refusal(.editContact(ContactChange(contact: "nobody@x.org", addGroups: ["vip"]))).contains("no contact has this address"))
        #expect(refusal(.editContact(ContactChange(contact: "Ilze", addGroups: ["vip"]))).contains("by an email address or a phone number"))
        #expect(refusal(.editContact(ContactChange(contact: "ilze@inbox.lv", addEmails: ["BOB@x.org"]))).contains("merge the two instead"))
        #expect(refusal(.editContact(ContactChange(contact: "ilze@inbox.lv", addPhones: ["12"]))).contains("not a phone number"))
        #expect(refusal(.editContact(ContactChange(contact: "ilze@inbox.lv", name: "Ilze"))).contains("already so"))
        #expect(refusal(.mergeContacts(into: "ilze@inbox.lv", from: "ILZE@inbox.lv")).contains("one contact already"))
    }
}
