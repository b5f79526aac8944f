import AttritionCore
import Foundation

/// Carries out an export request for the interface's host: the one place the interface writes a file.
public enum ExportEffect {
    /// Writes the export `request` describes from `state`'s cases; returns how it ended.
    public static func perform(_ request: ExportRequest, on state: AppState) -> ExportOutcome {
        do {
            let table = try request.query.table(of: state.table)
            let prepared = try Exporter.prepare(table, query: request.query, source: state.report, suppression: Suppression())
            return .written(try Exporter.write(prepared, format: request.format, to: request.path, overwrite: request.overwrite,
                                               inputs: state.report.inputFiles))
        } catch OutputError.exists(let path) {
            return .exists(path)
        } catch {
            return .failed("\(error)")
        }
    }
}
