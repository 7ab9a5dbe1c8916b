import NIOCore
import QueueDeckDomain
import QueueDeckJournal
import Testing
@testable import QueueDeckPostgres

/// A batch of events as the server packs it (PostgresJournal.fetch): read back whole, and a batch
/// cut short or with a length out of range named as damage, never read past its end.
@Suite struct PackedRowsTests {
    static func row(seq: Int64, ticket: String = "AC3DEF4GHJK", actor: String = "anna", payload: [UInt8] = [1, 0x78],
                    actorLength: Int32? = nil, payloadLength: Int32? = nil) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(seq)
        b.writeInteger(Int32(1))
        b.writeInteger(Int64(1_795_000_000_000))
        b.writeInteger(Int16(4))
        b.writeString(ticket)
        b.writeInteger(actorLength ?? Int32(actor.utf8.count))
        b.writeString(actor)
        b.writeInteger(payloadLength ?? Int32(payload.count))
        b.writeBytes(payload)
        return b
    }

    @Test func aPackedBatchReadsBackRowByRow() throws {
        var batch = Self.row(seq: 1)
        var second = Self.row(seq: 2, actor: "Lea Brown ✓")
        batch.writeBuffer(&second)
        let rows = try PostgresJournal.unpack(batch, name: "db")
        #expect(rows.map(\.seq) == [1, 2] && rows[1].actor == "Lea Brown ✓")
        #expect(rows[0].stored().event == Event(ticket: TicketID("AC3-DEF4G-HJK")!, at: Instant(ms: 1_795_000_000_000), actor: "anna", kind: .note(body: "x")))
    }

    @Test(arguments: [Int32(-1), Int32(1 << 30)])
    func aLengthOutOfRangeOrACutBatchIsDamageNotAnOverread(length: Int32) {
        #expect(throws: JournalError.self) { try PostgresJournal.unpack(Self.row(seq: 1, payloadLength: length), name: "db") }
        #expect(throws: JournalError.self) { try PostgresJournal.unpack(Self.row(seq: 1, actorLength: length), name: "db") }
        var cut = Self.row(seq: 1)
        cut.moveWriterIndex(to: cut.writerIndex - 1)
        #expect(throws: JournalError.self) { try PostgresJournal.unpack(cut, name: "db") }
    }
}
