import Crypto
import Foundation

/// Checks that an exported CSV and its metadata sidecar belong together: the sidecar names the
/// CSV's SHA-256, so a CSV replaced, edited, or put in place by an export that was stopped before
/// its sidecar is found out.
public enum ExportCheck {
    /// The SHA-256 of `bytes` as lower-case hex.
    static func sha256(_ bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }

    /// A line saying the export at `path` matches its metadata; throws `ExportCheckError` when it
    /// does not, is not a CSV, or a file cannot be read.
    public static func verify(_ path: String) throws -> String {
        guard path.hasSuffix(".csv") else {
            throw ExportCheckError.notCSV(path)
        }
        let sidecarPath = Exporter.files(for: path, format: .csv)[1]
        guard let data = FileManager.default.contents(atPath: path) else { throw ExportCheckError.unreadable(path) }
        guard let sidecar = FileManager.default.contents(atPath: sidecarPath) else { throw ExportCheckError.unreadable(sidecarPath) }
        var fields: [String: String] = [:]
        for line in String(decoding: sidecar, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        guard let recorded = fields["data_sha256"] else { throw ExportCheckError.noFingerprint(sidecarPath) }
        let actual = sha256(Array(data))
        guard actual == recorded else { throw ExportCheckError.mismatch(path, sidecarPath, actual: actual, recorded: recorded) }
        return "\(path) matches \(sidecarPath): SHA-256 \(actual); source \(fields["source"] ?? "?") (\(fields["source_sha256"] ?? "?")), "
            + "created \(fields["created"] ?? "?")"
    }
}

/// Why an export could not be confirmed.
public enum ExportCheckError: Error, Equatable, CustomStringConvertible {
    /// Only CSV exports have a separate metadata file; the others carry their metadata inside.
    case notCSV(String)
    /// A file could not be read.
    case unreadable(String)
    /// The sidecar names no data SHA-256 (written by an older version, or not a sidecar).
    case noFingerprint(String)
    /// The CSV is not the one the sidecar describes.
    case mismatch(String, String, actual: String, recorded: String)

    public var description: String {
        switch self {
        case .notCSV(let path): "\(path): only CSV exports have a separate metadata file; Markdown, JSON and XLSX carry theirs inside"
        case .unreadable(let path): "cannot read \(path)"
        case .noFingerprint(let path): "\(path) records no data_sha256, so nothing can be checked"
        case let .mismatch(path, sidecar, actual, recorded):
            "\(path) does not match \(sidecar): its SHA-256 is \(actual) but the metadata records \(recorded); "
                + "the export was interrupted or one of the files replaced, so the metadata does not describe this data"
        }
    }
}
