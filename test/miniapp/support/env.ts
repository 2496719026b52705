// What Taro's H5 build injects through DefinePlugin.
process.env.TARO_ENV = 'h5';
process.env.TARO_PLATFORM = 'web';
