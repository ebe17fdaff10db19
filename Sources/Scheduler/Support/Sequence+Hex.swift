extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal, two digits each (signatures, tokens).
    package var hexString: String {
        map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
