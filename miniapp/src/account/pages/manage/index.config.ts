export default definePageConfig({ navigationBarTitleText: '电子居民身份证' });
