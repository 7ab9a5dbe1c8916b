/// Splits a byte stream arriving in chunks into lines, each with its number and byte offset. Each
/// byte is looked at once: a long line arriving in many chunks is not rescanned from its start for
/// every chunk (a 17 MB chat line once took minutes).
public struct LineSplitter {
    private var pending: [UInt8] = []
    private var scanned = 0
    public private(set) var lineNumber = 0
    /// Where the next line starts in the stream.
    public private(set) var offset: Int64 = 0
    /// A line longer than this is not kept in memory: its bytes are passed over up to its newline
    /// and `tooLong` is told its number, offset and length (a stream with no newline once grew
    /// without end).
    public let maxLineBytes: Int
    public var tooLong: ((Int, Int64, Int64) -> Void)?
    private var skipped: Int64 = -1

    public init(maxLineBytes: Int = .max) { self.maxLineBytes = maxLineBytes }

    /// Hands over every whole line in `chunk` (without its newline).
    public mutating func feed<E: Error>(_ chunk: some Sequence<UInt8>, _ each: (ArraySlice<UInt8>, Int, Int64) throws(E) -> Void) throws(E) {
        pending.append(contentsOf: chunk)
        var start = 0
        while let newline = pending[max(start, scanned)...].firstIndex(of: 0x0A) {
            if skipped >= 0 {
                passOver(Int64(newline - start))
            } else {
                try deliver(pending[start..<newline], each)
            }
            start = newline + 1
        }
        if start > 0 { pending.removeFirst(start) }
        if skipped >= 0 || pending.count > maxLineBytes {
            skipped = max(skipped, 0) + Int64(pending.count)
            pending.removeAll(keepingCapacity: false)
        }
        scanned = pending.count
    }

    /// The end of a line too long to keep: said, counted, and the next line starts after it.
    private mutating func passOver(_ tail: Int64) {
        let length = skipped + tail
        lineNumber += 1
        tooLong?(lineNumber, offset, length)
        offset += length + 1
        skipped = -1
    }

    /// The last line, when the stream ended without a newline.
    public mutating func finish<E: Error>(_ each: (ArraySlice<UInt8>, Int, Int64) throws(E) -> Void) throws(E) {
        if skipped >= 0 { passOver(Int64(pending.count)); pending = []; scanned = 0; return }
        guard !pending.isEmpty else { return }
        let last = pending[...]
        pending = []
        scanned = 0
        try deliver(last, each)
    }

    private mutating func deliver<E: Error>(_ line: ArraySlice<UInt8>, _ each: (ArraySlice<UInt8>, Int, Int64) throws(E) -> Void) throws(E) {
        lineNumber += 1
        let at = offset
        offset += Int64(line.count + 1)
        try each(line, lineNumber, at)
    }
}
