using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Shift;

/// <summary>How the task data is divided among the K devices.</summary>
public enum DeviceSplit
{
    /// <summary>Each device gets a uniformly random share of the task data (IID).</summary>
    Iid,

    /// <summary>Non-IID: device k draws its labels from class proportions q_k ~ Dirichlet(alpha) (Hsu et al., 2019, arXiv:1909.06335).</summary>
    Dirichlet,
}

/// <summary>Configuration of the general data P0 (server) and the task data P (devices) built from one base dataset (model.md §3).</summary>
public sealed record DataConfig
{
    /// <summary>Name of the base dataset (<c>mnist</c> or <c>fashion</c>). Default <c>mnist</c>.</summary>
    public string BaseDataset { get; init; } = "mnist";

    /// <summary>Number of images of the server's general dataset. Default 2000; at least 0.</summary>
    public int GeneralSize { get; init; } = 2000;

    /// <summary>Number of task images of each device, D_k of the scenario; one entry per device, each at least 1. Default: 5 devices of 200.</summary>
    public IReadOnlyList<int> DeviceSizes { get; init; } = [200, 200, 200, 200, 200];

    /// <summary>Number of images of the held-out task test set (drawn from the base dataset's test part, shifted the same way). Default 1000; at least 0.</summary>
    public int TaskTestSize { get; init; } = 1000;

    /// <summary>The shift applied to the task data. Default: none.</summary>
    public ShiftConfig Shift { get; init; } = new();

    /// <summary>How task data is split among devices. Default <see cref="DeviceSplit.Iid"/>.</summary>
    public DeviceSplit DeviceSplit { get; init; } = DeviceSplit.Iid;

    /// <summary>Concentration alpha of the Dirichlet label split (smaller = more skewed). Default 0.5; positive. Used only with <see cref="DeviceSplit.Dirichlet"/>.</summary>
    public double DirichletAlpha { get; init; } = 0.5;

    /// <summary>Seed of every random choice (samples, transforms, split). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Total task training images, sum of <see cref="DeviceSizes"/>.</summary>
    public int TaskSize => DeviceSizes.Sum();

    /// <summary>Checks the configuration on its own (sizes against the data are checked when building); one line per problem.</summary>
    /// <param name="classCount">Number of classes of the base dataset.</param>
    /// <returns>An empty list when valid.</returns>
    public IReadOnlyList<string> Validate(int classCount)
    {
        var errors = new List<string>();
        if (GeneralSize < 0)
        {
            errors.Add($"generalSize is {GeneralSize}; it must be at least 0.");
        }

        if (DeviceSizes is null || DeviceSizes.Count == 0)
        {
            errors.Add("deviceSizes is empty; it must hold one size D_k per device.");
        }
        else
        {
            for (int k = 0; k < DeviceSizes.Count; k++)
            {
                if (DeviceSizes[k] < 1)
                {
                    errors.Add($"deviceSizes[{k}] is {DeviceSizes[k]}; it must be at least 1.");
                }
            }
        }

        if (TaskTestSize < 0)
        {
            errors.Add($"taskTestSize is {TaskTestSize}; it must be at least 0.");
        }

        if (DeviceSplit == DeviceSplit.Dirichlet && !(DirichletAlpha > 0 && !double.IsInfinity(DirichletAlpha)))
        {
            errors.Add($"dirichletAlpha is {DirichletAlpha}; it must be positive and finite.");
        }

        errors.AddRange((Shift ?? new ShiftConfig()).Validate(classCount));
        return errors;
    }
}

/// <summary>General data, per-device task data and the task test set built by <see cref="ShiftedDataBuilder"/>.</summary>
/// <param name="Config">The configuration that produced the data.</param>
/// <param name="General">The server's general dataset (samples of P0, untransformed).</param>
/// <param name="Task">All devices' task data concatenated in device order (samples of P = sum_k rho_k P_k).</param>
/// <param name="Devices">Task data of each device k, of size D_k.</param>
/// <param name="TaskTest">Held-out task test set, from the base test part, skewed and transformed like the task data.</param>
public sealed record ShiftedData(DataConfig Config, ImageDataset General, ImageDataset Task, IReadOnlyList<ImageDataset> Devices, ImageDataset TaskTest);
