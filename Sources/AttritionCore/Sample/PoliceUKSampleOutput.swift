import Foundation

/// Writes a synthetic police.uk download where the user asked: a `.zip` archive (written
/// atomically, deflated as real downloads are) or a new folder (made under a temporary name and
/// renamed into place complete). A folder is never replaced; an archive only with `overwrite`.
public enum PoliceUKSampleOutput {
    /// Writes `spec` to `path`: an archive when the name ends in `.zip`, else a folder.
    public static func write(_ spec: PoliceUKSampleSpec, to path: String, overwrite: Bool) throws {
        if path.lowercased().hasSuffix(".zip") {
            let file = try AtomicFile(destination: path, overwrite: overwrite)
            var archive = ZipArchive()
            try PoliceUKSample.write(spec) { name, bytes in
                archive.add(name, bytes, compress: true)
                guard archive.size < ZipArchive.largest else {
                    throw OutputError.cannotWrite(path, "the archive would pass 4 GiB; write a folder instead (--out DIR)")
                }
                try archive.drain().withUnsafeBytes { try file.write($0) }
            }
            try archive.finished().withUnsafeBytes { try file.write($0) }
            try file.commit()
            return
        }
        try NewFolder.make(at: path) { folder in
            let manager = FileManager.default
            try PoliceUKSample.write(spec) { name, bytes in
                let target = URL(fileURLWithPath: folder).appendingPathComponent(name)
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard manager.createFile(atPath: target.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                    throw OutputError.cannotWrite(target.path, String(cString: strerror(errno)))
                }
            }
        }
    }
}
