export default definePageConfig({ navigationBarTitleText: '窗口调证' });
