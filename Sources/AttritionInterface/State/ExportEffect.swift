import AttritionCore
import Foundation

/// Carries out an export request for the interface's host: the one place the interface writes a file.
public enum ExportEffect {
    /// Writes the export `request` describes from `state`'s cases; returns how it ended.
    public static func perform(_ request: ExportRequest, on state: AppState) -> ExportOutcome {
        // Every table published from the interface is audited with, and recorded in, the data's release ledger.
        let ledger = ReleaseLedger.defaultPath(for: state.report.file)
        do {
            if request.pack {
                return .written(try Exporter.exportPack(request.query, of: state.table, source: state.report, suppression: Suppression(),
                                                        to: request.path, overwrite: request.overwrite, ledger: ledger).files)
            }
            return .written(try Exporter.export(request.query, of: state.table, source: state.report, format: request.format, layout: .board,
                                                suppression: Suppression(), to: request.path, overwrite: request.overwrite, ledger: ledger))
        } catch OutputError.exists(let path) {
            return .exists(path)
        } catch {
            return .failed("\(error)")
        }
    }
}
