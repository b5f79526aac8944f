/// How case references are held: as written, except that a police.uk Crime ID — 64 lower-case
/// hexadecimal digits — is held as its 32 bytes behind a marker byte (0xFF, which UTF-8 text never holds),
/// saving 31 bytes per crime. `text` turns either back into the reference as written.
enum CaseReference {
    /// The marker before a packed hexadecimal reference.
    static let packedMarker: UInt8 = 0xFF

    /// Calls `body` with the bytes to hold for `reference`: packed when it is 64 lower-case
    /// hexadecimal digits (as police.uk writes them), else as written.
    static func withHeld<T>(_ reference: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        guard reference.count == 64 else { return try body(reference) }
        var packed = [UInt8](repeating: 0, count: 33)
        packed[0] = packedMarker
        for index in 0..<32 {
            guard let high = nibble(reference[2 * index]), let low = nibble(reference[2 * index + 1]) else { return try body(reference) }
            packed[index + 1] = high << 4 | low
        }
        return try packed.withUnsafeBytes(body)
    }

    /// The reference as written (a packed one as 64 lower-case hexadecimal digits; invalid UTF-8 shown as U+FFFD).
    static func text<C: Collection>(_ held: C) -> String where C.Element == UInt8 {
        guard held.count == 33, held.first == packedMarker else { return String(decoding: held, as: UTF8.self) }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in held.dropFirst() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
