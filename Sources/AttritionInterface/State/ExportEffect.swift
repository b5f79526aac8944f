import AttritionCore
import Foundation

/// Carries out an export request for the interface's host: the one place the interface writes
/// a file. The source's fingerprint is worked out once and kept.
public final class ExportEffect {
    private let sourceName: String
    private let fingerprint: () throws -> String
    private var digest: String?

    /// An effect for data read from `sourceName`, whose SHA-256 `fingerprint` computes on first use.
    public init(sourceName: String, fingerprint: @escaping () throws -> String) {
        self.sourceName = sourceName
        self.fingerprint = fingerprint
    }

    /// Writes the export `request` describes from `state`'s cases; returns how it ended.
    public func perform(_ request: ExportRequest, on state: AppState) -> ExportOutcome {
        do {
            let paths = Exporter.files(for: request.path, format: request.format)
            if !request.overwrite, let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                return .exists(existing)
            }
            if digest == nil { digest = try fingerprint() }
            let table = try request.query.table(of: state.table)
            let source = ExportSource(name: sourceName, sha256: digest ?? "", report: state.report)
            let prepared = Exporter.prepare(table, query: request.query, source: source, suppression: Suppression())
            return .written(try Exporter.write(prepared, format: request.format, to: request.path, overwrite: request.overwrite))
        } catch OutputError.exists(let path) {
            return .exists(path)
        } catch {
            return .failed("\(error)")
        }
    }
}
