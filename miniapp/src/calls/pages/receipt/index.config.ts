export default definePageConfig({ navigationBarTitleText: '调证收据' });
