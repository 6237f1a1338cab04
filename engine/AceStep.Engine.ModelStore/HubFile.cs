namespace AceStep.Engine.ModelStore;

/// <summary>One file of a hub repository, as its tree listing describes it.</summary>
/// <param name="Path">Path inside the repository, with forward slashes.</param>
/// <param name="Size">Size in bytes of the real content (for LFS files, of the large file, not its pointer).</param>
/// <param name="GitOid">Git blob id (SHA-1 of the blob); for LFS files this is the pointer's id, not the content's.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content for LFS files; null for files stored in git itself.</param>
public sealed record HubFile(string Path, long Size, string GitOid, string? Sha256);
