public struct Customer: Hashable, Sendable {
    public var name: String
    public var email: String?
    public var phone: String?
    /// Contact groups such as `vip` or `paying`; lower case.
    public var groups: [String]

    public init(name: String, email: String? = nil, phone: String? = nil, groups: [String] = []) {
        self.name = name
        self.email = email
        self.phone = phone
        self.groups = groups
    }

    /// The key that links tickets of the same customer: address, else phone, else name.
    public var contactKey: String {
        if let email, !email.isEmpty { return email.lowercased() }
        if let phone, !phone.isEmpty { return "tel:" + (Self.phoneKey(phone) ?? phone.filter { $0.isNumber || $0 == "+" }) }
        return "name:" + name.lowercased()
    }

    /// A phone number as its digits, for matching a caller to a contact: `+371 2000-0000`,
    /// `00371 20000000` and `37120000000` are one number (a local `20000000` is not: no country
    /// code to add is known). Nil under five digits (an extension, or no number) or over eighteen.
    public static func phoneKey(_ raw: String) -> String? { phoneNumber(raw).map { String(String($0).dropFirst()) } }

    /// The same digits as one number, a 1 in front so that leading zeros count: no string is made
    /// (every ticket of a desk being loaded is indexed by it).
    public static func phoneNumber(_ raw: String) -> UInt64? {
        // In place when the text is contiguous (a copy was 2% of loading a desk); else a copy.
        raw.utf8.withContiguousStorageIfAvailable { phoneNumber(digitsIn: $0) } ?? phoneNumber(digitsIn: Array(raw.utf8))
    }

    static func phoneNumber(digitsIn bytes: some Collection<UInt8>) -> UInt64? {
        var value: UInt64 = 1, count = 0
        var pendingZeros = 0, started = false, sawOther = false
        for b in bytes {
            let d = b &- 48
            guard d < 10 else {
                // Spaces, brackets, dots and dashes group digits; anything else (a +) ends a 00 prefix's chance.
                switch b {
                case 32, 9, 40, 41, 46, 45: break
                default: sawOther = true
                }
                continue
            }
            // 00 before anything else is the international prefix, not part of the number.
            if !started && d == 0 && !sawOther {
                pendingZeros += 1
                if pendingZeros == 2 { started = true }
                continue
            }
            if !started {
                started = true
                if pendingZeros == 1 { value &*= 10; count += 1 }  // a single leading 0 is a digit
            }
            guard count < 18 else { return nil }
            value = value &* 10 &+ UInt64(d)
            count += 1
        }
        if !started && pendingZeros == 1 { value &*= 10; count += 1 }
        return count >= 5 && count <= 18 ? value : nil
    }

    public var phoneNumber: UInt64? { phone.flatMap(Self.phoneNumber) }
}

extension Customer {
    /// The address of `Name <address>` (or the text itself): intake writes strangers' senders so.
    public static func address(inMailbox s: String) -> String {
        guard let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt else { return s.contains("@") ? s : "" }
        return String(s[s.index(after: lt)..<gt])
    }
}

extension String {
    /// Without leading and trailing white space (intake and the command line use it too).
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
