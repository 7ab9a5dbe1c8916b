import Foundation
import QueueDeckDomain
import QueueDeckMail

/// The customer's contact card from the console (`:contact`).
extension ConsoleController {
    /// `:contact group +vip -trial`, `:contact name Anne Bērziņa`, `:contact phone +371…`,
    /// `:contact email a@b`: the customer's card, and every open ticket of theirs with it.
    func editContact(_ t: Ticket, _ args: String) {
        let words = args.split(separator: " ", maxSplits: 1).map(String.init)
        let usage = "contact: group +vip -trial, name NAME, phone NUMBER or email ADDRESS"
        guard words.count == 2 else { say(usage, error: true); return }
        guard let who = t.customer.email ?? t.customer.phone, Customer.identityKey(of: who) != nil else {
            say("\(t.customer.name) has no address or number to find their contact by", error: true)
            return
        }
        var change = ContactChange(contact: who)
        let value = words[1].trimmingCharacters(in: .whitespaces)
        switch words[0].lowercased() {
        case "group", "groups":
            for g in value.split(separator: " ") where !change.group(String(g)) {
                say("contact group: +NAME adds, -NAME removes", error: true)
                return
            }
        case "name": change.name = value
        case "phone": change.addPhones = [value]
        case "email":
            switch Recipients.parse(value, field: "email") {
            case .success(let list) where list.count == 1: change.addEmails = list
            case .success: say("contact email: one address", error: true); return
            case .failure(let e): say(e.description, error: true); return
            }
        default: say(usage, error: true); return
        }
        do {
            let stored = try desk.perform(.editContact(change), sawVersion: nil)
            absorb()
            let updated = stored.filter { if case .customerUpdated = $0.event.kind { true } else { false } }.count
            let card = state[t.id]?.customer
            say("contact \(card?.name ?? t.customer.name) updated" + (card.map { $0.groups.isEmpty ? "" : " [" + $0.groups.joined(separator: ", ") + "]" } ?? "")
                + "; " + (updated == 1 ? "1 open ticket follows" : "\(updated) open tickets follow"))
        } catch {
            say("\(error)", error: true)
        }
    }
}
