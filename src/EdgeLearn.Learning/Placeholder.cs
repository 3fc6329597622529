namespace EdgeLearn.Learning; internal static class Placeholder { }
