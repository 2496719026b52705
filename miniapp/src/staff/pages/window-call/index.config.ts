export default definePageConfig({ navigationBarTitleText: '调证请求' });
