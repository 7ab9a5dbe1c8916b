import QueueDeckDomain

/// What the journal's and the snapshot's writers and readers have in common: strings (inline or
/// from the snapshot's table) and bytes. The values both formats store are written once, here.
protocol ValueWriter {
    mutating func u8(_ v: UInt8)
    mutating func i64(_ v: Int64)
    mutating func string(_ s: String)
    mutating func optional(_ s: String?)
    mutating func strings(_ list: [String])
}

protocol ValueReader {
    mutating func u8(_ field: String) throws(DecodeFailure) -> UInt8
    mutating func i64(_ field: String) throws(DecodeFailure) -> Int64
    mutating func string(_ field: String) throws(DecodeFailure) -> String
    mutating func optional(_ field: String) throws(DecodeFailure) -> String?
    mutating func strings(_ field: String) throws(DecodeFailure) -> [String]
    func failure(_ field: String) -> DecodeFailure
}

extension ByteWriter: ValueWriter {}
extension ByteReader: ValueReader {}
extension SnapshotWriter: ValueWriter {}
extension SnapshotReader: ValueReader {}

/// One encoding per value type, shared by `EventCodec` and `SnapshotCodec` (docs/JOURNAL.md).
enum ValueCoding {
    static func customer(_ c: Customer, _ w: inout some ValueWriter) {
        w.string(c.name)
        w.optional(c.email)
        w.optional(c.phone)
        w.strings(c.groups)
    }

    static func customer(_ r: inout some ValueReader) throws(DecodeFailure) -> Customer {
        Customer(name: try r.string("customer.name"), email: try r.optional("customer.email"),
                 phone: try r.optional("customer.phone"), groups: try r.strings("customer.groups"))
    }

    static func contactCard(_ c: ContactCard, _ w: inout some ValueWriter) {
        w.string(c.name)
        w.strings(c.emails)
        w.strings(c.phones)
        w.strings(c.groups)
    }

    static func contactCard(_ r: inout some ValueReader) throws(DecodeFailure) -> ContactCard {
        ContactCard(name: try r.string("contact.name"), emails: try r.strings("contact.emails"), phones: try r.strings("contact.phones"),
                    groups: try r.strings("contact.groups"))
    }

    /// The sender comes last and only for the kinds that have one: records written before those
    /// kinds existed end after the aliases.
    static func intakeRecord(_ x: IntakeRecord, _ w: inout some ValueWriter) {
        w.string(x.key)
        w.u8(x.kind.rawValue)
        w.string(x.summary)
        w.string(x.body)
        w.strings(x.aliases)
        if hasSender(x.kind) { w.string(x.sender) }
    }

    static func intakeRecord(_ r: inout some ValueReader) throws(DecodeFailure) -> IntakeRecord {
        let key = try r.string("intake.key")
        guard let kind = IntakeKind(rawValue: try r.u8("intake.kind")) else { throw r.failure("intake.kind") }
        return IntakeRecord(key: key, kind: kind, summary: try r.string("intake.summary"), body: try r.string("intake.body"),
                            aliases: try r.strings("intake.aliases"), sender: hasSender(kind) ? try r.string("intake.sender") : "")
    }

    static func hasSender(_ k: IntakeKind) -> Bool {
        switch k {
        case .stranger, .accepted: true
        case .mail, .autoReply, .bounce, .unreadable, .call, .chat: false
        }
    }

    static func attachments(_ list: [AttachmentRef], _ w: inout some ValueWriter) {
        w.i64(Int64(list.count))
        for a in list {
            w.string(a.name)
            w.string(a.type)
            w.i64(a.size)
            w.optional(a.digest)
        }
    }

    static func attachments(_ r: inout some ValueReader) throws(DecodeFailure) -> [AttachmentRef] {
        let n = try r.i64("attachments.count")
        guard (0...100_000).contains(n) else { throw r.failure("attachments.count") }
        var out: [AttachmentRef] = []
        for _ in 0..<n {
            let name = try r.string("attachment.name"), type = try r.string("attachment.type")
            let size = try r.i64("attachment.size")
            guard size >= 0 else { throw r.failure("attachment.size") }
            out.append(AttachmentRef(name: name, type: type, size: size, digest: try r.optional("attachment.digest")))
        }
        return out
    }

    static func deliveryStep(_ s: DeliveryStep, _ w: inout some ValueWriter) {
        switch s {
        // Code 1 (no Cc) is what journals before Cc hold; 5 carries the list.
        case .queued(let to, let cc) where cc.isEmpty: w.u8(1); w.string(to)
        case .queued(let to, let cc): w.u8(5); w.string(to); w.strings(cc)
        case .handing: w.u8(2)
        case .sent: w.u8(3)
        case .failed(let e): w.u8(4); w.string(e)
        }
    }

    static func deliveryStep(_ r: inout some ValueReader) throws(DecodeFailure) -> DeliveryStep {
        switch try r.u8("delivery.step") {
        case 1: return .queued(to: try r.string("delivery.to"))
        case 2: return .handing
        case 3: return .sent
        case 4: return .failed(try r.string("delivery.error"))
        case 5: return .queued(to: try r.string("delivery.to"), cc: try r.strings("delivery.cc"))
        default: throw r.failure("delivery.step")
        }
    }
}
