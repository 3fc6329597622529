namespace EdgeLearn.Data; internal static class Placeholder { }
