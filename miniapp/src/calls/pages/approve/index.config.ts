export default definePageConfig({ navigationBarTitleText: '确认调证请求' });
